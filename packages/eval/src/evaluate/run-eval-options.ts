import { applySetOverrides, UserInputError } from '@contrastive/framework';
import type { EvalOptions } from '../options/eval-options';
import { resolveEvalOptions } from '../options/resolve-eval-options';

/**
 * The options of an evaluation: the `eval:` block (raw or already resolved) with
 * `--set eval.<path>=<value>` overrides applied, validated. Only `eval.*` can be set: the
 * rest of a trained run's config is fixed.
 *
 * @throws UserInputError naming the `--set` argument or the bad value's path
 */
export function resolveRunEvalOptions(block: unknown, sets: readonly string[] = []): EvalOptions {
  if (sets.length === 0) return resolveEvalOptions(block);
  for (const s of sets) {
    const key = s.split('=')[0].trim();
    if (key !== 'eval' && !key.startsWith('eval.') && !key.startsWith('eval[')) {
      throw new UserInputError(`--set "${s}": only eval.* options can be set when evaluating (the trained run's config is fixed), e.g. --set eval.knn.k=50`);
    }
  }
  const applied = applySetOverrides({ eval: block ?? {} }, sets);
  return resolveEvalOptions(applied.config.eval, { sourceMap: applied.sourceMap });
}
