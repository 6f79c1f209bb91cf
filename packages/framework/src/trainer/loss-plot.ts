/** One point of a training curve. */
export interface CurvePoint {
  step: number;
  value: number;
}

const WIDTH = 640;
const HEIGHT = 360;
const PAD = { left: 64, right: 16, top: 32, bottom: 40 };
// More points than pixels only make the file bigger.
const MAX_POINTS = 1200;

/**
 * An SVG line plot of a training curve (the loss per step), self-contained so it opens in
 * a browser and in MLflow's artifact viewer. Non-finite values are left out; long curves are
 * thinned to at most 1200 evenly spaced points (the last point is always kept).
 *
 * @example fs.writeFileSync('loss.svg', curveSvg(points, 'loss'))
 */
export function curveSvg(points: readonly CurvePoint[], label: string): string {
  const finite = points.filter((p) => Number.isFinite(p.value) && Number.isFinite(p.step));
  const every = Math.max(1, Math.ceil(finite.length / MAX_POINTS));
  const shown = finite.filter((_, i) => i % every === 0 || i === finite.length - 1);
  const head = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`;
  const title = `<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="14">${escape(label)} per step</text>`;
  if (shown.length === 0) return `${head}<rect width="100%" height="100%" fill="white"/>${title}<text x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle">no finite values</text></svg>\n`;

  const [x0, x1] = range(shown.map((p) => p.step));
  const [y0, y1] = range(shown.map((p) => p.value));
  const x = (s: number) => PAD.left + ((s - x0) / (x1 - x0)) * (WIDTH - PAD.left - PAD.right);
  const y = (v: number) => HEIGHT - PAD.bottom - ((v - y0) / (y1 - y0)) * (HEIGHT - PAD.top - PAD.bottom);
  const line = shown.map((p) => `${x(p.step).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const axes = [
    `<line x1="${PAD.left}" y1="${HEIGHT - PAD.bottom}" x2="${WIDTH - PAD.right}" y2="${HEIGHT - PAD.bottom}" stroke="#444"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${HEIGHT - PAD.bottom}" stroke="#444"/>`,
    `<text x="${PAD.left}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="start">${fmt(x0)}</text>`,
    `<text x="${WIDTH - PAD.right}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="end">${fmt(x1)}</text>`,
    `<text x="${(PAD.left + WIDTH - PAD.right) / 2}" y="${HEIGHT - 8}" text-anchor="middle">step</text>`,
    `<text x="${PAD.left - 6}" y="${PAD.top + 4}" text-anchor="end">${fmt(y1)}</text>`,
    `<text x="${PAD.left - 6}" y="${HEIGHT - PAD.bottom}" text-anchor="end">${fmt(y0)}</text>`,
  ];
  return `${head}<rect width="100%" height="100%" fill="white"/>${title}${axes.join('')}` +
    `<polyline fill="none" stroke="#1f77b4" stroke-width="1.5" points="${line}"/></svg>\n`;
}

/** [min, max], widened when all values are equal so the scale stays finite. */
function range(values: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
}

function fmt(v: number): string {
  return Math.abs(v) >= 1000 || Number.isInteger(v) ? String(Math.round(v)) : v.toPrecision(4);
}

function escape(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}
