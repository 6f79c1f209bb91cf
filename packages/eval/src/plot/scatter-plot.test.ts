import { PNG } from 'pngjs';
import { drawText, GLYPH_HEIGHT, GLYPH_WIDTH, glyphOf, textWidth } from './bitmap-font';
import { classColour } from './palette';
import { renderScatterPng } from './scatter-plot';

describe('bitmap font', () => {
  it('has 7x5 glyphs for letters, digits and punctuation; other characters draw as "?"', () => {
    for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -/_.,:()%+=\'?#[]') {
      const g = glyphOf(ch);
      expect(g).toHaveLength(GLYPH_HEIGHT);
      g.forEach((row) => expect(row).toHaveLength(GLYPH_WIDTH));
    }
    expect(glyphOf('a')).toEqual(glyphOf('A'));
    expect(glyphOf('€')).toEqual(glyphOf('?'));
    expect(glyphOf('O')).not.toEqual(glyphOf('0'));
  });

  it('draws inside the box textWidth x 7·scale', () => {
    const inked: [number, number][] = [];
    drawText('T-1', 10, 20, 2, (x, y) => inked.push([x, y]));
    expect(inked.length).toBeGreaterThan(0);
    expect(Math.min(...inked.map(([x]) => x))).toBeGreaterThanOrEqual(10);
    expect(Math.max(...inked.map(([x]) => x))).toBeLessThan(10 + textWidth('T-1', 2));
    expect(Math.max(...inked.map(([, y]) => y))).toBeLessThan(20 + 7 * 2);
  });
});

describe('renderScatterPng', () => {
  const near = (png: PNG, i: number, c: [number, number, number], tol: number) =>
    Math.abs(png.data[i] - c[0]) <= tol && Math.abs(png.data[i + 1] - c[1]) <= tol && Math.abs(png.data[i + 2] - c[2]) <= tol;

  it('draws a decodable PNG with the points of each class where their coordinates say', () => {
    // Class 0 at the bottom left (0, 0) of the data, class 1 at the top right (10, 10).
    const n = 40;
    const points = new Float32Array(2 * n);
    const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
    for (let i = 0; i < n; i++) {
      points[2 * i] = labels[i] * 10 + (i % 5) * 0.1;
      points[2 * i + 1] = labels[i] * 10 + (i % 3) * 0.1;
    }
    const bytes = renderScatterPng({ points, labels, classNames: ['first', 'second'], title: 'test plot', width: 600, height: 300 });
    const png = PNG.sync.read(bytes);
    expect([png.width, png.height]).toEqual([600, 300]);
    const centroid = (cls: number) => {
      let sx = 0; let sy = 0; let count = 0;
      // Only left of the legend (about 160 px wide on the right), whose swatches have the same colours.
      for (let y = 0; y < png.height; y++) for (let x = 0; x < 420; x++) {
        if (near(png, (y * png.width + x) * 4, classColour(cls), 40)) { sx += x; sy += y; count += 1; }
      }
      return { x: sx / count, y: sy / count, count };
    };
    const a = centroid(0);
    const b = centroid(1);
    expect(a.count).toBeGreaterThan(20);
    expect(b.count).toBeGreaterThan(20);
    expect(a.x).toBeLessThan(b.x - 50); // left of
    expect(a.y).toBeGreaterThan(b.y + 50); // below (image y grows downwards)
    // Most of the image is white background.
    let white = 0;
    for (let i = 0; i < png.data.length; i += 4) if (near(png, i, [255, 255, 255], 0)) white += 1;
    expect(white / (png.width * png.height)).toBeGreaterThan(0.8);
  });

  it('draws a legend swatch in each class colour', () => {
    const names = Array.from({ length: 12 }, (_, i) => `class ${i}`);
    const labels = Int32Array.from({ length: 24 }, (_, i) => i % 12);
    const points = Float32Array.from({ length: 48 }, (_, i) => (i * 7) % 13);
    const png = PNG.sync.read(renderScatterPng({ points, labels, classNames: names, title: 't', width: 600, height: 500 }));
    for (let cls = 0; cls < 12; cls++) {
      let found = false;
      for (let i = 0; i < png.data.length && !found; i += 4) {
        const x = (i / 4) % png.width;
        found = x > 400 && near(png, i, classColour(cls), 0);
      }
      expect(found).toBe(true);
    }
    expect(classColour(11)).not.toEqual(classColour(10));
  });

  it('refuses mismatched points and labels, and labels without a name', () => {
    expect(() => renderScatterPng({ points: new Float32Array(4), labels: Int32Array.from([0]), classNames: ['a'], title: '', width: 300, height: 300 }))
      .toThrow(/2 points for 1 labels/);
    expect(() => renderScatterPng({ points: new Float32Array(2), labels: Int32Array.from([3]), classNames: ['a'], title: '', width: 300, height: 300 }))
      .toThrow(/label 3 has no class name/);
  });
});
