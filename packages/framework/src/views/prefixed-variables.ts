import type * as tf from '@tensorflow/tfjs';
import type { HasVariables } from '../contracts';
import { setStableName } from '../nn/variable-store';

/**
 * The variables of `owner` under `<prefix>/<name>`: two parts built from the same spec (the
 * encoders of two views, the queues of two views) would otherwise both own
 * `encoder/conv0/kernel`. Stable names (what optimizers and checkpoints key by) are renamed
 * once, here; `owner` itself is unchanged and still disposes its variables.
 *
 * @param owner anything with variables (parts without `namedVariables` give an empty set)
 * @param prefix e.g. `view-L`
 * @example
 * ```ts
 * const vars = prefixVariables(encoder, 'view-ab'); // 'view-ab/encoder/conv0/kernel', ...
 * ```
 */
export function prefixVariables(owner: Partial<HasVariables>, prefix: string): HasVariables {
  const has = typeof owner.namedVariables === 'function';
  const named = () => {
    const renamed = new Map<string, tf.Variable>();
    if (!has) return renamed;
    for (const [name, v] of owner.namedVariables!()) {
      renamed.set(`${prefix}/${name}`, v);
      setStableName(v, `${prefix}/${name}`); // again each time: parts may add variables later
    }
    return renamed;
  };
  named();
  return {
    trainableVariables: () => (has ? owner.trainableVariables!() : []),
    namedVariables: named,
    dispose: () => owner.dispose?.(),
  };
}
