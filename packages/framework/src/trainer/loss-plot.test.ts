import { curveSvg } from './loss-plot';

const pointsOf = (svg: string) =>
  /points="([^"]*)"/.exec(svg)![1].split(' ').map((p) => p.split(',').map(Number));

describe('curveSvg', () => {
  it('maps the first and last step to the plot edges and the extremes to top and bottom', () => {
    const svg = curveSvg([{ step: 1, value: 4 }, { step: 2, value: 2 }, { step: 3, value: 1 }], 'loss');
    const pts = pointsOf(svg);
    expect(pts).toHaveLength(3);
    // x: left edge 64 to right edge 640 - 16; y: top 32 (max) to bottom 360 - 40 (min).
    expect(pts[0]).toEqual([64, 32]);
    expect(pts[2]).toEqual([624, 320]);
    // step 2 is half way across; value 2 is 2/3 of the way down from 4 to 1.
    expect(pts[1][0]).toBeCloseTo(344, 1);
    expect(pts[1][1]).toBeCloseTo(32 + (2 / 3) * 288, 1);
    expect(svg).toContain('loss per step');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  });

  it('thins long curves to at most 1200 points and keeps the last one', () => {
    const long = Array.from({ length: 5000 }, (_, i) => ({ step: i + 1, value: 1 / (i + 1) }));
    const pts = pointsOf(curveSvg(long, 'loss'));
    expect(pts.length).toBeLessThanOrEqual(1201);
    expect(pts[pts.length - 1][0]).toBe(624);
  });

  it('leaves out non-finite values and copes with a flat or empty curve', () => {
    expect(pointsOf(curveSvg([{ step: 1, value: NaN }, { step: 2, value: 3 }, { step: 3, value: 3 }], 'x'))).toHaveLength(2);
    expect(curveSvg([{ step: 1, value: Infinity }], 'x')).toContain('no finite values');
    expect(curveSvg([], 'a<b')).toContain('a&lt;b per step');
  });
});
