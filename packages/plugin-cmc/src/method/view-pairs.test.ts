import { UserInputError } from '@contrastive/framework';
import { viewPairs } from './view-pairs';

describe('viewPairs', () => {
  const three = ['L', 'ab', 'depth'];

  it('core: every other view with the core view, exactly', () => {
    expect(viewPairs(three, 'core', 'L')).toEqual([['L', 'ab'], ['L', 'depth']]);
    expect(viewPairs(three, 'core', 'depth')).toEqual([['depth', 'L'], ['depth', 'ab']]);
    expect(viewPairs(three, 'core')).toEqual([['L', 'ab'], ['L', 'depth']]); // the first view by default
  });

  it('full-graph: every unordered pair once, exactly', () => {
    expect(viewPairs(three, 'full-graph')).toEqual([['L', 'ab'], ['L', 'depth'], ['ab', 'depth']]);
    expect(viewPairs(['a', 'b', 'c', 'd'], 'full-graph')).toHaveLength(6);
  });

  it('gives the one pair of two views with either pairing', () => {
    expect(viewPairs(['L', 'ab'], 'core')).toEqual([['L', 'ab']]);
    expect(viewPairs(['L', 'ab'], 'full-graph')).toEqual([['L', 'ab']]);
  });

  it('refuses one view, a repeated name and an unknown core view', () => {
    expect(() => viewPairs(['L'], 'full-graph')).toThrow(UserInputError);
    expect(() => viewPairs(['L'], 'full-graph')).toThrow('CMC needs at least two views, got 1');
    expect(() => viewPairs(['L', 'L'], 'core')).toThrow('view names must be unique');
    expect(() => viewPairs(three, 'core', 'rgb')).toThrow('core view "rgb" is not one of the views L, ab, depth');
  });
});
