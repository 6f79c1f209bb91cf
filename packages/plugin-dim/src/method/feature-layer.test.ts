import { SeededRng, ConvNetEncoder, featureMapSizes } from '@contrastive/framework';
import { useTestBackend } from '../test-helpers';
import { chooseFeatureLayer } from './feature-layer';

beforeAll(async () => {
  await useTestBackend();
});

describe('the DIM(L) feature layer', () => {
  const encoder = new ConvNetEncoder([28, 28, 1], { channels: [8, 16, 32, 64, 64], embeddingDim: 4 }, new SeededRng(1));
  const sizes = featureMapSizes(encoder, [28, 28, 1]);
  afterAll(() => encoder.dispose());

  it('measures every feature map for the image size', () => {
    expect(sizes.map((s) => [s.name, s.height, s.width, s.channels])).toEqual([
      ['conv0', 14, 14, 8], ['conv1', 7, 7, 16], ['conv2', 4, 4, 32], ['conv3', 2, 2, 64], ['conv4', 1, 1, 64],
    ]);
  });

  it('takes the named map, and by default the deepest of at least 4x4', () => {
    expect(chooseFeatureLayer(sizes, 'conv1', [28, 28, 1]).name).toBe('conv1');
    expect(chooseFeatureLayer(sizes, undefined, [28, 28, 1]).name).toBe('conv2');
  });

  it('refuses a map the encoder does not have, listing the valid choices', () => {
    expect(() => chooseFeatureLayer(sizes, 'stage2', [28, 28, 1])).toThrow(
      'method.layer: the encoder has no feature map "stage2"; valid choices: conv0 (14x14x8), conv1 (7x7x16), conv2 (4x4x32), conv3 (2x2x64)');
  });

  it('refuses a map too small for DIM(L) at this image size', () => {
    expect(() => chooseFeatureLayer(sizes, 'conv4', [28, 28, 1])).toThrow(
      'method.layer: feature map "conv4" is 1x1 for 28x28 images, too small for DIM(L) (at least 2x2 locations); valid choices: conv0 (14x14x8)');
  });
});
