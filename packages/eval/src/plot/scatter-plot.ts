import { SeededRng } from '@contrastive/framework';
import { drawText, GLYPH_HEIGHT, textWidth } from './bitmap-font';
import { classColour } from './palette';
import { Raster } from './raster';

/** What {@link renderScatterPng} draws. */
export interface ScatterSpec {
  /** 2-D coordinates, x then y for each point: length 2N. */
  points: Float32Array;
  /** Class of each point (N), in [0, classNames.length). */
  labels: Int32Array;
  /** Legend text of each class. */
  classNames: readonly string[];
  title: string;
  subtitle?: string;
  width: number;
  height: number;
  /** Seeds the drawing order, so no class is painted entirely over another. */
  seed?: number;
}

const INK: [number, number, number] = [33, 33, 33];
const GREY: [number, number, number] = [110, 110, 110];
const FRAME: [number, number, number] = [200, 200, 200];
const MARGIN = 20;
const TEXT_SCALE = 2;
const LINE = (GLYPH_HEIGHT + 4) * TEXT_SCALE;
const SWATCH = GLYPH_HEIGHT * TEXT_SCALE;

/**
 * Renders a scatter plot of 2-D points coloured by class as a PNG: a title and subtitle,
 * the points in a framed square-scaled area (equal units on both axes), and a legend of
 * class colours with their names and counts.
 *
 * @returns PNG file bytes
 */
export function renderScatterPng(spec: ScatterSpec): Buffer {
  const n = spec.labels.length;
  if (spec.points.length !== 2 * n) throw new Error(`renderScatterPng: ${spec.points.length / 2} points for ${n} labels`);
  const raster = new Raster(spec.width, spec.height);
  const k = spec.classNames.length;
  const counts = new Array<number>(k).fill(0);
  spec.labels.forEach((l) => {
    if (l < 0 || l >= k) throw new Error(`renderScatterPng: label ${l} has no class name (${k} classes)`);
    counts[l] += 1;
  });

  const plotText = (text: string, x: number, y: number, colour: [number, number, number]) =>
    drawText(text, x, y, TEXT_SCALE, (px, py) => raster.blend(px, py, colour));
  plotText(fitText(spec.title, spec.width - 2 * MARGIN), MARGIN, MARGIN, INK);
  if (spec.subtitle) plotText(fitText(spec.subtitle, spec.width - 2 * MARGIN), MARGIN, MARGIN + LINE, GREY);
  const top = MARGIN + LINE * (spec.subtitle ? 2 : 1) + 10;

  // Legend on the right: swatch, name and count of each class.
  const entries = spec.classNames.map((name, i) => `${name} (${counts[i]})`);
  const legendWidth = Math.min(Math.floor(spec.width / 2.5), SWATCH + 8 + Math.max(0, ...entries.map((e) => textWidth(e, TEXT_SCALE))));
  const legendX = spec.width - MARGIN - legendWidth;
  const fitting = Math.max(1, Math.floor((spec.height - top - MARGIN) / LINE));
  entries.slice(0, fitting).forEach((entry, i) => {
    const y = top + i * LINE;
    const shown = i === fitting - 1 && entries.length > fitting ? `+${entries.length - fitting + 1} more` : entry;
    if (shown === entry) raster.fillRect(legendX, y, SWATCH, SWATCH, classColour(i));
    plotText(fitText(shown, legendWidth - SWATCH - 8), legendX + SWATCH + 8, y, INK);
  });

  // Plot area: everything left of the legend, points scaled with equal units on both axes.
  const area = { x: MARGIN, y: top, w: legendX - 2 * MARGIN, h: spec.height - top - MARGIN };
  raster.strokeRect(area.x, area.y, area.w, area.h, FRAME);
  const { minX, maxX, minY, maxY } = bounds(spec.points);
  const pad = 12;
  const scale = Math.min((area.w - 2 * pad) / Math.max(maxX - minX, 1e-9), (area.h - 2 * pad) / Math.max(maxY - minY, 1e-9));
  const offX = area.x + area.w / 2 - ((minX + maxX) / 2) * scale;
  const offY = area.y + area.h / 2 + ((minY + maxY) / 2) * scale;
  const radius = n > 5000 ? 1.6 : 2.6;
  const order = drawOrder(n, spec.seed ?? 0);
  for (const i of order) {
    // y grows upwards in the plot, downwards in the image.
    raster.fillDisc(offX + spec.points[2 * i] * scale, offY - spec.points[2 * i + 1] * scale, radius, classColour(spec.labels[i]), 0.8);
  }
  return raster.toPng();
}

function bounds(p: Float32Array) {
  let minX = Infinity; let maxX = -Infinity; let minY = Infinity; let maxY = -Infinity;
  for (let i = 0; i < p.length; i += 2) {
    minX = Math.min(minX, p[i]); maxX = Math.max(maxX, p[i]);
    minY = Math.min(minY, p[i + 1]); maxY = Math.max(maxY, p[i + 1]);
  }
  return p.length === 0 ? { minX: 0, maxX: 1, minY: 0, maxY: 1 } : { minX, maxX, minY, maxY };
}

/** A seeded permutation of 0..n-1. */
function drawOrder(n: number, seed: number): number[] {
  const rng = new SeededRng(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** Cuts `text` (with "..") so it is at most `width` pixels wide at the text scale. */
function fitText(text: string, width: number): string {
  if (textWidth(text, TEXT_SCALE) <= width) return text;
  let cut = text;
  while (cut.length > 0 && textWidth(`${cut}..`, TEXT_SCALE) > width) cut = cut.slice(0, -1);
  return `${cut}..`;
}
