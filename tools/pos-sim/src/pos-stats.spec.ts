import { PosStats } from './pos-stats';

describe('PosStats.snapshot', () => {
  it('counts nacks by code and reports latency percentiles', () => {
    const stats = new PosStats();
    for (let ms = 1; ms <= 100; ms += 1) stats.latency(ms);
    stats.nack(5);
    stats.nack(5);
    stats.nack(undefined);
    stats.handshakeFailed('refused');

    expect(stats.snapshot()).toMatchObject({
      nacks: { '5': 2, '-1': 1 },
      handshakeFailures: { refused: 1 },
      latencyMs: { p50: 51, p99: 100, max: 100 },
    });
  });
});
