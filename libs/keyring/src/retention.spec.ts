import { planReplacement } from './retention';

const k = (fingerprint: string, validUntil: number) => ({ fingerprint, validAfter: validUntil - 100, validUntil });

describe('planReplacement', () => {
  it('keeps listed keys in order, retains unlisted ones until validUntil + grace, drops them after', () => {
    const listed = [k('b', 1000), k('c', 5000)];
    const previous = [k('a', 900), k('b', 800), k('z', 500)];
    // now 950, grace 60: a (900+60=960 > 950) retained, z (560 <= 950) dropped, b relisted.
    expect(planReplacement(listed, previous, 950, 60)).toEqual({
      keep: [listed[0], listed[1], previous[0]],
      added: ['c'],
      retained: ['a'],
      dropped: ['z'],
    });
  });

  it('drops exactly at validUntil + grace', () => {
    expect(planReplacement([], [k('a', 900)], 960, 60).dropped).toEqual(['a']);
    expect(planReplacement([], [k('a', 900)], 959, 60).retained).toEqual(['a']);
  });
});
