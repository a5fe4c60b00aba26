import { withoutStackTraces } from './without-stack-traces';

describe('withoutStackTraces', () => {
  it('runs fn with Error.stackTraceLimit = 0 and returns its result', () => {
    const before = Error.stackTraceLimit;
    let inside: number | undefined;
    const result = withoutStackTraces(() => {
      inside = Error.stackTraceLimit;
      return new Error('x').stack;
    });
    expect(inside).toBe(0);
    expect(result).toBe('Error: x'); // no frames captured
    expect(Error.stackTraceLimit).toBe(before);
  });

  it('restores the limit when fn throws, and rethrows the error with a stack captured again', () => {
    const before = Error.stackTraceLimit;
    const thrown = new TypeError('misuse');
    let caught: unknown;
    try {
      withoutStackTraces(() => {
        throw thrown;
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(thrown);
    expect(Error.stackTraceLimit).toBe(before);
    expect(thrown.stack).toMatch(/^TypeError: misuse\n\s+at /);
  });

  it('rethrows a non-Error value as is', () => {
    expect(() =>
      withoutStackTraces(() => {
        throw 'text';
      }),
    ).toThrow('text');
  });
});
