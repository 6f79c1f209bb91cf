/**
 * Element-wise |a - e| <= tol · max(1, |e|) over nested arrays; names the first element
 * that is off, which a plain toBeCloseTo on arrays does not.
 */
export function expectClose(actual: unknown, expected: unknown, tol = 1e-5): void {
  const a = [actual].flat(Infinity) as number[];
  const e = [expected].flat(Infinity) as number[];
  expect(a.length).toBe(e.length);
  a.forEach((v, i) => {
    if (!(Math.abs(v - e[i]) <= tol * Math.max(1, Math.abs(e[i])))) throw new Error(`element ${i}: got ${v}, expected ${e[i]}`);
  });
}
