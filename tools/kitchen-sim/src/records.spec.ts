import { BoundedLog, parseQuery } from './records';

describe('BoundedLog', () => {
  it('keeps the newest entries, oldest first', () => {
    const log = new BoundedLog<number>(3);
    for (let i = 1; i <= 10; i += 1) log.push(i);
    expect(log.list()).toEqual([8, 9, 10]);
    log.clear();
    expect(log.list()).toEqual([]);
  });

  it('keeps nothing with a bound of 0', () => {
    const log = new BoundedLog<number>(0);
    log.push(1);
    expect(log.list()).toEqual([]);
  });
});

describe('parseQuery', () => {
  it('turns repeated names into arrays', () => {
    expect(parseQuery('a=1&b=2&a=3&a=4&c=')).toEqual({ a: ['1', '3', '4'], b: '2', c: '' });
    expect(parseQuery('')).toEqual({});
  });
});
