import * as tf from '@tensorflow/tfjs';

/** Name of the kernel registered for the `tensorflow` backend (and of its gradient). */
export const CONV2D_WITH_BIAS_KERNEL = 'ContrastiveConv2DWithBias';

/** TensorFlow's oneDNN convolution with the bias added in the same pass over the output. */
const NATIVE_OP = '_MklNativeConv2DWithBias';

/** The parts of tfjs-node's backend used here (the same call its own kernels make). */
interface TfNodeBackend {
  binding: Record<'TF_ATTR_TYPE' | 'TF_ATTR_INT' | 'TF_ATTR_STRING' | 'TF_FLOAT', number>;
  executeSingleOutput(name: string, attrs: unknown[], inputs: tf.TensorInfo[]): tf.Tensor;
}

type KernelArgs = {
  inputs: { x: tf.TensorInfo; filter: tf.TensorInfo; bias: tf.TensorInfo };
  backend: TfNodeBackend;
  attrs: { strides: [number, number] };
};

/**
 * conv2d(x, filter, stride, 'same') + bias in one TensorFlow kernel when the active backend
 * is tfjs-node's `tensorflow` and its TensorFlow has oneDNN's `_MklNativeConv2DWithBias`;
 * null otherwise (the caller runs conv2d and add).
 *
 * Why: TensorFlow's `Add` of a per-channel bias is a slow broadcasting pass (1.6 ms for
 * 512x14x14x32 on 2 cores), and tfjs-node has no other way to fuse it: its `FusedConv2D`
 * kernel runs three ops, and TensorFlow's `_FusedConv2D` needs list attributes the binding
 * cannot pass. oneDNN's kernel adds the bias while writing the output (measured with
 * tools/bench/profile-train-step.js: ~2.3 ms less per convnet step). The op is TensorFlow's
 * internal one, selected by its kernel label, so it is tried once per backend on a small
 * case and compared against conv2d + add before being used.
 *
 * The gradient is registered per input (x, filter, bias), so tfjs computes only those the
 * tape needs: the first layer pays no gradient for the input images.
 *
 * @param x [B, H, W, Cin] float32
 * @param filter [k, k, Cin, Cout]
 * @param bias [Cout]
 * @returns [B, ceil(H / stride), ceil(W / stride), Cout], or null when unavailable
 */
export function nativeConv2dWithBias(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D, stride: number): tf.Tensor4D | null {
  if (tf.getBackend() !== 'tensorflow' || x.dtype !== 'float32') return null;
  const backend = tf.backend();
  if (checked?.backend !== backend) checked = { backend, usable: tryRegister(backend as unknown as Partial<TfNodeBackend>) };
  if (!checked.usable) return null;
  const attrs = { strides: [stride, stride] } as unknown as tf.NamedAttrMap;
  return tf.engine().runKernel(CONV2D_WITH_BIAS_KERNEL, { x, filter, bias }, attrs) as tf.Tensor4D;
}

/** Whether the kernel was found usable on the current backend object (checked once). */
let checked: { backend: object; usable: boolean } | null = null;

function tryRegister(backend: Partial<TfNodeBackend>): boolean {
  const binding = backend.binding;
  if (typeof backend.executeSingleOutput !== 'function' || binding?.TF_ATTR_STRING === undefined) return false;
  const exec = backend.executeSingleOutput.bind(backend);
  const fixed = [
    { name: 'T', type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT },
    { name: 'padding', type: binding.TF_ATTR_STRING, value: 'SAME' },
    { name: 'data_format', type: binding.TF_ATTR_STRING, value: 'NHWC' },
    { name: 'dilations', type: binding.TF_ATTR_INT, value: [1, 1, 1, 1] },
    // oneDNN's kernels for this op are registered under this label only.
    { name: '_kernel', type: binding.TF_ATTR_STRING, value: 'MklNameChangeOp' },
  ];
  // The attribute lists of each stride, built once: this runs for every convolution.
  const attrsByStride = new Map<string, unknown[]>();
  const kernelFunc = ({ inputs: { x, filter, bias }, attrs: { strides: [sh, sw] } }: KernelArgs) => {
    const key = `${sh},${sw}`;
    let attrs = attrsByStride.get(key);
    if (!attrs) attrsByStride.set(key, (attrs = [...fixed, { name: 'strides', type: binding.TF_ATTR_INT, value: [1, sh, sw, 1] }]));
    return exec(NATIVE_OP, attrs, [x, filter, bias]);
  };
  if (!tf.getKernel(CONV2D_WITH_BIAS_KERNEL, 'tensorflow')) {
    tf.registerKernel({ kernelName: CONV2D_WITH_BIAS_KERNEL, backendName: 'tensorflow', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
  }
  if (!tf.getGradient(CONV2D_WITH_BIAS_KERNEL)) tf.registerGradient(conv2dWithBiasGradient);
  return agreesWithPlainOps();
}

/** Runs the kernel on a small case (odd sizes, stride 2) and compares it with conv2d + add. */
function agreesWithPlainOps(): boolean {
  try {
    return tf.tidy(() => {
      const x = tf.randomUniform([2, 5, 7, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
      const filter = tf.randomUniform([3, 3, 3, 4], -1, 1, 'float32', 2) as tf.Tensor4D;
      const bias = tf.tensor1d([0.5, -1, 2, 0.25]);
      const fused = tf.engine().runKernel(CONV2D_WITH_BIAS_KERNEL, { x, filter, bias }, { strides: [2, 2] } as unknown as tf.NamedAttrMap) as tf.Tensor;
      const plain = tf.add(tf.conv2d(x, filter, 2, 'same'), bias);
      return tf.util.arraysEqual(fused.shape, plain.shape) && tf.max(tf.abs(tf.sub(fused, plain))).dataSync()[0] < 1e-4;
    });
  } catch {
    return false; // e.g. a TensorFlow built without oneDNN: the caller uses conv2d + add
  }
}

/** Gradients of conv2d(x, filter, 'same') + bias, each computed only when the tape asks for it. */
const conv2dWithBiasGradient: tf.GradConfig = {
  kernelName: CONV2D_WITH_BIAS_KERNEL,
  inputsToSave: ['x', 'filter'],
  gradFunc: (dy, saved, attrs) => {
    const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
    const dy4 = dy as tf.Tensor4D;
    const { strides } = attrs as unknown as { strides: [number, number] };
    return {
      x: () => tf.conv2dTranspose(dy4, filter, x.shape, strides, 'same'),
      filter: () =>
        tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy: dy4 }, {
          strides, pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: filter.shape,
        } as unknown as tf.NamedAttrMap) as tf.Tensor,
      bias: () => biasAddGrad(dy4),
    };
  },
};

let biasGradAttrs: { backend: object; attrs: unknown[] } | null = null;

/**
 * dy summed over batch, rows and columns by TensorFlow's `BiasAddGrad` (0.24 ms for
 * 512x14x14x32 where `Sum` over three axes takes 0.45 ms). Runs in the gradient only, on the
 * backend this kernel is registered for.
 */
function biasAddGrad(dy: tf.Tensor4D): tf.Tensor {
  const backend = tf.backend() as unknown as TfNodeBackend;
  if (biasGradAttrs?.backend !== backend) {
    const { binding } = backend;
    biasGradAttrs = {
      backend,
      attrs: [
        { name: 'T', type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT },
        { name: 'data_format', type: binding.TF_ATTR_STRING, value: 'NHWC' },
      ],
    };
  }
  return backend.executeSingleOutput('BiasAddGrad', biasGradAttrs.attrs, [dy]);
}
