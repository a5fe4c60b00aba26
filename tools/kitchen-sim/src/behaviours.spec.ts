import { BehaviourTable } from './behaviours';

const order = { route: '/order', method: 'POST', site: '42' };

describe('BehaviourTable', () => {
  it('answers undefined (the default echo) when nothing matches', () => {
    const table = new BehaviourTable();
    table.set({ path: '/alert', status: 500 });
    expect(table.take(order)).toBeUndefined();
  });

  it('picks the most specific match, the newest on a tie', () => {
    const table = new BehaviourTable();
    table.set({ status: 201 });
    table.set({ path: '/order', status: 202 });
    table.set({ path: '/order', site: '42', status: 203 });
    table.set({ path: '/order', method: 'post', status: 204 });
    expect(table.take(order)?.status).toBe(204);
    expect(table.take({ ...order, method: 'GET', site: '42' })?.status).toBe(203);
    expect(table.take({ ...order, method: 'GET', site: '7' })?.status).toBe(202);
    expect(table.take({ route: '/x', method: 'GET', site: null })?.status).toBe(201);
  });

  it('replaces a behaviour with the same path, method and site', () => {
    const table = new BehaviourTable();
    table.set({ path: '/order', status: 500 });
    table.set({ path: '/order', status: 503 });
    expect(table.take(order)?.status).toBe(503);
  });

  it('removes a behaviour after `times` uses', () => {
    const table = new BehaviourTable();
    table.set({ path: '/order', status: 503, times: 2 });
    expect([table.take(order)?.status, table.take(order)?.status, table.take(order)]).toEqual([503, 503, undefined]);
  });

  it('resets to the default', () => {
    const table = new BehaviourTable();
    table.set({ status: 500 });
    table.reset();
    expect(table.take(order)).toBeUndefined();
  });

  it.each([
    [{ path: 'order' }],
    [{ status: 99 }],
    [{ status: 200.5 }],
    [{ latencyMs: -1 }],
    [{ hang: 'yes' }],
    [{ times: 1.5 }],
  ])('refuses %j with TypeError', (behaviour) => {
    expect(() => new BehaviourTable().set(behaviour as never)).toThrow(TypeError);
  });
});
