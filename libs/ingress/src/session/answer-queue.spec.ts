import { AnswerQueue } from './answer-queue';

describe('AnswerQueue', () => {
  it('writes answers in reservation order, whatever order they are filled in', () => {
    const written: string[] = [];
    const queue = new AnswerQueue((frame) => written.push(frame.toString()) > 0, () => undefined);
    const [a, b, c] = [queue.reserve(), queue.reserve(), queue.reserve()];

    c.fill(Buffer.from('c'));
    b.fill(Buffer.from('b'));
    expect(written).toEqual([]);
    expect(queue.pending).toBe(3);

    a.fill(Buffer.from('a'));
    expect(written).toEqual(['a', 'b', 'c']);
    expect(queue.pending).toBe(0);
  });

  it('reports whether each answer was written, and drops answers after disconnect', () => {
    const results: boolean[] = [];
    const queue = new AnswerQueue(() => true, () => undefined);
    queue.reserve().fill(Buffer.from('x'), (written) => results.push(written));
    queue.disconnect();
    queue.reserve().fill(Buffer.from('y'), (written) => results.push(written));
    expect(results).toEqual([true, false]);
  });

  it('refuses a slot filled twice', () => {
    const queue = new AnswerQueue(() => true, () => undefined);
    const slot = queue.reserve();
    slot.fill(undefined);
    expect(() => slot.fill(undefined)).toThrow(TypeError);
  });
});
