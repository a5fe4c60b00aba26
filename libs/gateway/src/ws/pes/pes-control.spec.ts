import { parsePesControl, pesErrorText, pesEventText, pesSubscribedText, pesUnsubscribedText } from './pes-control';

const text = (value: unknown): Buffer => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('parsePesControl', () => {
  it('reads subscribe (from defaults to $, 0 means 0-0) and unsubscribe', () => {
    expect(parsePesControl(text({ op: 'subscribe', stream: 'pes', from: '1700000000000-4' }))).toEqual({ op: 'subscribe', from: '1700000000000-4' });
    expect(parsePesControl(text({ op: 'subscribe', stream: 'pes' }))).toEqual({ op: 'subscribe', from: '$' });
    expect(parsePesControl(text({ op: 'subscribe', stream: 'pes', from: '0' }))).toEqual({ op: 'subscribe', from: '0-0' });
    expect(parsePesControl(text(' { "stream" : "pes", "op" : "unsubscribe" } '))).toEqual({ op: 'unsubscribe' });
  });

  it('answers invalid for a subscribe with a malformed from', () => {
    for (const from of ['yesterday', '12', 12, null, '1-2-3']) {
      expect(parsePesControl(text({ op: 'subscribe', stream: 'pes', from }))).toEqual(from === null ? { op: 'subscribe', from: '$' } : { op: 'invalid' });
    }
  });

  it('leaves everything else to the kitchen', () => {
    for (const value of [
      'isAlive?',
      '{"order":1}',
      { op: 'subscribe', stream: 'kds' },
      { op: 'publish', stream: 'pes' },
      '["stream","pes"]',
      '{"stream": "pes", broken',
      `{"op":"subscribe","stream":"pes","pad":"${'x'.repeat(600)}"}`, // longer than any control message
    ]) {
      expect(parsePesControl(text(value))).toBeUndefined();
    }
  });
});

describe('PES control answers', () => {
  it('have the documented shapes', () => {
    expect(pesSubscribedText('5-1')).toBe('{"op":"subscribed","stream":"pes","from":"5-1"}');
    expect(pesUnsubscribedText()).toBe('{"op":"unsubscribed","stream":"pes"}');
    expect(pesErrorText('unavailable')).toBe('{"op":"error","stream":"pes","error":"unavailable"}');
    const event = { id: '5-2', msgId: 'm1', msgType: 'tender', source: 'pos', data: '{"a":1}', receivedAt: '2026-01-01T00:00:00.000Z' };
    expect(JSON.parse(pesEventText(event))).toEqual({
      op: 'event',
      stream: 'pes',
      id: '5-2',
      msg_id: 'm1',
      msg_type: 'tender',
      source: 'pos',
      data: '{"a":1}',
      received_at: '2026-01-01T00:00:00.000Z',
    });
  });
});
