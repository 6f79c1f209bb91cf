import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { leakedTensors, useTestBackend } from '../test-helpers';
import { dotScoreDefinition, dotScores, DotScore } from './dot-score';
import { expectClose } from '../test-helpers/expect-close';

const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../test/fixtures/scores-reference.json'), 'utf8'),
) as { anchors: number[][]; candidates: number[][]; dot: number[][] };

beforeAll(async () => {
  await useTestBackend();
});

describe('dot score', () => {
  it('matches the numpy reference', () => {
    const a = tf.tensor2d(fixture.anchors);
    const c = tf.tensor2d(fixture.candidates);
    const logits = new DotScore().score(a, c);
    expect(logits.shape).toEqual([4, 5]);
    expectClose(logits.arraySync(), fixture.dot);
    tf.dispose([a, c, logits]);
  });

  it('computes a hand-worked case', () => {
    // [1,2]·[3,4] = 11, [1,2]·[-1,0] = -1, [0,-1]·[3,4] = -4, [0,-1]·[-1,0] = 0
    const logits = dotScores(tf.tensor2d([[1, 2], [0, -1]]), tf.tensor2d([[3, 4], [-1, 0]]));
    expectClose(logits.arraySync(), [[11, -1], [-4, 0]]);
  });

  it('rejects mismatched dimensions and wrong ranks', () => {
    expect(() => dotScores(tf.zeros([2, 3]) as tf.Tensor2D, tf.zeros([2, 4]) as tf.Tensor2D)).toThrow(/dimension 3.*4/);
    expect(() => dotScores(tf.zeros([3]) as unknown as tf.Tensor2D, tf.zeros([2, 3]) as tf.Tensor2D)).toThrow(/\[N, D\]/);
  });

  it('leaves no tensors behind', () => {
    const a = tf.randomNormal([3, 4]) as tf.Tensor2D;
    const c = tf.randomNormal([6, 4]) as tf.Tensor2D;
    expect(leakedTensors(() => tf.dispose(dotScores(a, c)))).toBe(0);
    tf.dispose([a, c]);
  });

  it('is built by its definition with no options', () => {
    expect(dotScoreDefinition.kind).toBe('score');
    expect(dotScoreDefinition.create({} as never, {} as never)).toBeInstanceOf(DotScore);
  });
});
