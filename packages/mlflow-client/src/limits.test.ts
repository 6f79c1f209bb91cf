import { MLFLOW_LIMITS, checkBatch, keyProblem, splitLogBatch } from './limits';

const metric = (i: number) => ({ key: `m${i % 3}`, value: i, timestamp: 1000 + i, step: i });
const kv = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, value: String(i) }));

describe('splitLogBatch', () => {
  it.each([
    [0, 0, 0, 0],
    [1, 0, 0, 1],
    [1000, 0, 0, 1],
    [1001, 0, 0, 2],
    [2500, 250, 130, 3],
    [0, 101, 0, 2],
    [950, 100, 100, 2],
  ])('%i metrics, %i params, %i tags -> %i requests within every limit, nothing lost or reordered', (m, p, t, requests) => {
    const batch = { metrics: Array.from({ length: m }, (_, i) => metric(i)), params: kv('p', p), tags: kv('t', t) };
    const parts = splitLogBatch(batch);
    expect(parts).toHaveLength(requests);
    for (const part of parts) {
      expect(part.metrics.length).toBeLessThanOrEqual(MLFLOW_LIMITS.metricsPerBatch);
      expect(part.params.length).toBeLessThanOrEqual(MLFLOW_LIMITS.paramsPerBatch);
      expect(part.tags.length).toBeLessThanOrEqual(MLFLOW_LIMITS.tagsPerBatch);
      expect(part.metrics.length + part.params.length + part.tags.length).toBeLessThanOrEqual(MLFLOW_LIMITS.entitiesPerBatch);
    }
    expect(parts.flatMap((x) => x.metrics)).toEqual(batch.metrics);
    expect(parts.flatMap((x) => x.params)).toEqual(batch.params);
    expect(parts.flatMap((x) => x.tags)).toEqual(batch.tags);
  });
});

describe('keyProblem', () => {
  it.each(['loss', 'train.optimizer.lr', 'eval/knn top-1', 'a:b', 'augment.0.use'])('accepts %s', (key) => {
    expect(keyProblem(key)).toBeNull();
  });
  it.each([
    ['', /empty/],
    ['a'.repeat(251), /251 characters; MLflow allows 250/],
    ['loss!', /may only contain/],
    ['/abs', /unique file/],
    ['a//b', /unique file/],
    ['a/../b', /unique file/],
    ['trailing/', /unique file/],
  ])('refuses %j', (key, reason) => {
    expect(keyProblem(key)).toMatch(reason);
  });
});

describe('checkBatch', () => {
  it('drops invalid keys, truncates over-long values, keeps and reports non-finite metrics, and keeps everything else', () => {
    const long = 'x'.repeat(MLFLOW_LIMITS.paramValueLength + 5);
    const { batch, problems, truncated } = checkBatch({
      params: [{ key: 'ok', value: '1' }, { key: 'long', value: long }, { key: 'bad key!', value: '2' }],
      tags: [{ key: 't', value: 'y'.repeat(MLFLOW_LIMITS.tagValueLength + 1) }],
      metrics: [{ key: 'loss', value: NaN, timestamp: 1, step: 3 }, { key: 'lr', value: 0.1, timestamp: 1, step: 3 }],
    });
    expect(batch.params.map((p) => [p.key, p.value.length])).toEqual([['ok', 1], ['long', MLFLOW_LIMITS.paramValueLength]]);
    expect(batch.tags[0].value).toHaveLength(MLFLOW_LIMITS.tagValueLength);
    expect(batch.metrics.map((m) => m.key)).toEqual(['loss', 'lr']);
    expect(truncated.map((t) => t.key)).toEqual(['long', 't']);
    expect(truncated[0].value).toBe(long);
    expect(problems.map((p) => `${p.kind}:${p.key}`).sort()).toEqual(['metric:loss', 'param:bad key!', 'param:long', 'tag:t']);
    expect(problems.find((p) => p.key === 'loss')!.reason).toMatch(/step 3 is NaN/);
    expect(Object.fromEntries(problems.map((p) => [p.key, p.action]))).toEqual({ loss: 'kept', 'bad key!': 'dropped', long: 'truncated', t: 'truncated' });
  });
});
