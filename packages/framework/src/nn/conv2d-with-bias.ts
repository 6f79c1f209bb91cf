import * as tf from '@tensorflow/tfjs';
import { nativeFloatOp } from './native-float-op';
import { reluGrad } from './relu-grad';
import { asTfNodeBackend, float32Attr, type TfNodeAttr } from './tf-node-backend';

/** Name of the kernel registered for the backends that can fuse (and of its gradient). */
export const CONV2D_WITH_BIAS_KERNEL = 'ContrastiveConv2DWithBias';

/** What may be applied to conv + bias inside the same kernel. */
export type FusedActivation = 'linear' | 'relu';

type Attrs = { strides: [number, number]; activation: FusedActivation };
type KernelArgs = { inputs: { x: tf.TensorInfo; filter: tf.TensorInfo; bias: tf.TensorInfo }; backend: unknown; attrs: Attrs };
type KernelFunc = (args: KernelArgs) => tf.TensorInfo;

/**
 * activation(conv2d(x, filter, stride, 'same') + bias) in one kernel where the active
 * backend can do it, else null (the caller runs conv2d, add and the activation):
 *
 * - `tensorflow` (tfjs-node), linear only: TensorFlow's oneDNN `_MklNativeConv2DWithBias`
 *   adds the bias while writing the output. TensorFlow's broadcasting `Add` of a bias is a
 *   slow pass of its own (1.6 ms for 512x14x14x32 on 2 cores), and tfjs-node has no other
 *   fusion: its `FusedConv2D` runs three ops, and TensorFlow's `_FusedConv2D` (which could
 *   also apply the ReLU) needs list attributes the binding cannot pass. The op is
 *   TensorFlow's internal one, selected by its kernel label.
 * - `wasm`, linear or relu: the backend's `FusedConv2D` (XNNPACK adds the bias and clamps
 *   in the convolution's output pass), ~1 ms per layer less than conv, add and relu.
 *
 * Each backend's kernel is compared once against conv2d + add (+ relu) on a small case
 * before it is used. Unlike `tf.fused.conv2d`, whose gradient computes the gradients of all
 * inputs whenever one is needed, the gradient here is registered per input (x, filter,
 * bias), so tfjs computes only those the tape needs: the first layer pays no gradient for
 * the input images.
 *
 * @param x [B, H, W, Cin] float32
 * @param filter [k, k, Cin, Cout]
 * @param bias [Cout]
 * @returns [B, ceil(H / stride), ceil(W / stride), Cout], or null when unavailable
 */
export function conv2dWithBias(
  x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D, stride: number, activation: FusedActivation,
): tf.Tensor4D | null {
  if (x.dtype !== 'float32') return null;
  const backend = tf.backend();
  if (checked?.backend !== backend) checked = { backend, supports: prepare(tf.getBackend(), backend) };
  if (!checked.supports.includes(activation)) return null;
  return run(x, filter, bias, stride, activation);
}

/** What the current backend object was found to fuse (checked once per backend object). */
let checked: { backend: object; supports: FusedActivation[] } | null = null;

function run(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D, stride: number, activation: FusedActivation): tf.Tensor4D {
  const attrs: Attrs = { strides: [stride, stride], activation };
  return tf.engine().runKernel(CONV2D_WITH_BIAS_KERNEL, { x, filter, bias }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

/** Registers the kernel for `backendName` if it has one, and returns the activations that pass the check. */
function prepare(backendName: string, backend: object): FusedActivation[] {
  const make = KERNELS[backendName];
  const kernel = make?.(backend);
  if (!kernel) return [];
  if (!tf.getKernel(CONV2D_WITH_BIAS_KERNEL, backendName)) {
    tf.registerKernel({ kernelName: CONV2D_WITH_BIAS_KERNEL, backendName, kernelFunc: kernel.kernelFunc as unknown as tf.KernelFunc });
  }
  if (!tf.getGradient(CONV2D_WITH_BIAS_KERNEL)) tf.registerGradient(conv2dWithBiasGradient);
  return kernel.activations.filter(agreesWithPlainOps);
}

const KERNELS: Record<string, (backend: object) => { kernelFunc: KernelFunc; activations: FusedActivation[] } | null> = {
  tensorflow: (backend) => {
    const node = asTfNodeBackend(backend);
    if (!node) return null;
    const { binding } = node;
    const exec = node.executeSingleOutput.bind(node);
    const fixed: TfNodeAttr[] = [
      float32Attr(node),
      { name: 'padding', type: binding.TF_ATTR_STRING, value: 'SAME' },
      { name: 'data_format', type: binding.TF_ATTR_STRING, value: 'NHWC' },
      { name: 'dilations', type: binding.TF_ATTR_INT, value: [1, 1, 1, 1] },
      // oneDNN's kernels for this op are registered under this label only.
      { name: '_kernel', type: binding.TF_ATTR_STRING, value: 'MklNameChangeOp' },
    ];
    // The attribute lists of each stride, built once: this runs for every convolution.
    const attrsByStride = new Map<string, TfNodeAttr[]>();
    const kernelFunc: KernelFunc = ({ inputs: { x, filter, bias }, attrs: { strides: [sh, sw], activation } }) => {
      if (activation !== 'linear') throw new Error(`${CONV2D_WITH_BIAS_KERNEL} on tensorflow: only a linear activation is fused, got ${activation}`);
      const key = `${sh},${sw}`;
      let attrs = attrsByStride.get(key);
      if (!attrs) attrsByStride.set(key, (attrs = [...fixed, { name: 'strides', type: binding.TF_ATTR_INT, value: [1, sh, sw, 1] }]));
      return exec('_MklNativeConv2DWithBias', attrs, [x, filter, bias]);
    };
    return { kernelFunc, activations: ['linear'] };
  },
  wasm: () => {
    const fused = tf.getKernel(tf.FusedConv2D, 'wasm');
    if (!fused) return null;
    const kernelFunc: KernelFunc = ({ inputs: { x, filter, bias }, backend, attrs: { strides, activation } }) =>
      fused.kernelFunc({
        inputs: { x, filter, bias },
        backend: backend as tf.KernelBackend,
        attrs: { strides, pad: 'same', dataFormat: 'NHWC', dilations: [1, 1], activation } as unknown as tf.NamedAttrMap,
      }) as tf.TensorInfo;
    return { kernelFunc, activations: ['linear', 'relu'] };
  },
};

/** Runs the kernel on a small case (odd sizes, stride 2) and compares it with the plain ops. */
function agreesWithPlainOps(activation: FusedActivation): boolean {
  try {
    return tf.tidy(() => {
      const x = tf.randomUniform([2, 5, 7, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
      const filter = tf.randomUniform([3, 3, 3, 4], -1, 1, 'float32', 2) as tf.Tensor4D;
      const bias = tf.tensor1d([0.5, -1, 2, 0.25]);
      const fused = run(x, filter, bias, 2, activation);
      const linear = tf.add(tf.conv2d(x, filter, 2, 'same'), bias);
      const plain = activation === 'relu' ? tf.relu(linear) : linear;
      return tf.util.arraysEqual(fused.shape, plain.shape) && tf.max(tf.abs(tf.sub(fused, plain))).dataSync()[0] < 1e-4;
    });
  } catch {
    return false; // e.g. a TensorFlow built without oneDNN: the caller uses the plain ops
  }
}

/** Gradients of activation(conv2d(x, filter, 'same') + bias), each computed only when the tape asks for it. */
const conv2dWithBiasGradient: tf.GradConfig = {
  kernelName: CONV2D_WITH_BIAS_KERNEL,
  inputsToSave: ['x', 'filter'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, filter, y] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    const { strides, activation } = attrs as unknown as Attrs;
    const dz = (activation === 'relu' ? reluGrad(dy as tf.Tensor, y) : dy) as tf.Tensor4D;
    return {
      x: () => tf.conv2dTranspose(dz, filter, x.shape, strides, 'same'),
      filter: () =>
        tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy: dz }, {
          strides, pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: filter.shape,
        } as unknown as tf.NamedAttrMap) as tf.Tensor,
      bias: () => biasGrad(dz),
    };
  },
};

/**
 * dz summed over batch, rows and columns: TensorFlow's `BiasAddGrad` on the native backend
 * (see native-float-op.ts), `Sum` elsewhere.
 */
function biasGrad(dz: tf.Tensor4D): tf.Tensor {
  return nativeFloatOp('BiasAddGrad')?.(dz) ?? tf.sum(dz, [0, 1, 2]);
}
