import { createLogger } from '@pos-link/platform';
import { Registry } from 'prom-client';
import { WsTelemetry } from './ws-telemetry';

/** The value of one series of `poslink_gateway_ws_messages_total` in the registry's text exposition. */
async function messages(registry: Registry, direction: string, outcome: string): Promise<number | undefined> {
  const text = await registry.getSingleMetricAsString('poslink_gateway_ws_messages_total');
  const line = text.split('\n').find((l) => l.startsWith(`poslink_gateway_ws_messages_total{direction="${direction}",outcome="${outcome}"}`));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('WsTelemetry messages counter', () => {
  it('exposes every series from the first scrape, at zero', async () => {
    const registry = new Registry();
    new WsTelemetry(createLogger({ app: 'test', level: 'silent' }), registry);
    for (const outcome of ['forwarded', 'control', 'refused']) expect(await messages(registry, 'in', outcome)).toBe(0);
    expect(await messages(registry, 'out', 'sent')).toBe(0);
  });

  it('counts inbound outcomes and outbound messages, each exactly once across scrapes', async () => {
    const registry = new Registry();
    const telemetry = new WsTelemetry(createLogger({ app: 'test', level: 'silent' }), registry);
    telemetry.inbound('forwarded');
    telemetry.inbound('forwarded');
    telemetry.inbound('refused');
    telemetry.outbound();
    expect(await messages(registry, 'in', 'forwarded')).toBe(2);
    expect(await messages(registry, 'in', 'refused')).toBe(1);
    expect(await messages(registry, 'in', 'control')).toBe(0);
    expect(await messages(registry, 'out', 'sent')).toBe(1);
    telemetry.inbound('control');
    telemetry.outbound();
    expect(await messages(registry, 'in', 'forwarded')).toBe(2);
    expect(await messages(registry, 'in', 'control')).toBe(1);
    expect(await messages(registry, 'out', 'sent')).toBe(2);
  });
});
