/** Tableau 10: ten categorical colours that stay distinguishable for most colour-vision types. */
const TABLEAU_10: readonly [number, number, number][] = [
  [78, 121, 167], [242, 142, 43], [225, 87, 89], [118, 183, 178], [89, 161, 79],
  [237, 201, 72], [176, 122, 161], [255, 157, 167], [156, 117, 95], [186, 176, 172],
];

/**
 * The colour [r, g, b] (0..255) of class `index`: Tableau 10 for the first ten classes,
 * then hues spaced by the golden angle so that any number of classes gets distinct colours.
 */
export function classColour(index: number): [number, number, number] {
  if (index < TABLEAU_10.length) return [...TABLEAU_10[index]];
  const hue = ((index - TABLEAU_10.length) * 137.508) % 360;
  return hslToRgb(hue, 0.65, 0.5);
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs(((h / 60) % 2) - 1));
  const m = l - c / 2;
  const [r, g, b] = h < 60 ? [c, x, 0] : h < 120 ? [x, c, 0] : h < 180 ? [0, c, x] : h < 240 ? [0, x, c] : h < 300 ? [x, 0, c] : [c, 0, x];
  return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
}
