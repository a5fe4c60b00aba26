import { FAILURE_BUDGET_WINDOW_MS, FailureBudget } from './failure-budget';

describe('FailureBudget', () => {
  it('exhausts an address after `limit` failures in its minute and restores it when the window ends', () => {
    let now = 0;
    const budget = new FailureBudget(3, () => now);
    for (let i = 0; i < 3; i++) {
      expect(budget.isExhausted('192.0.2.1')).toBe(false);
      budget.spend('192.0.2.1');
    }
    expect(budget.isExhausted('192.0.2.1')).toBe(true);
    expect(budget.isExhausted('192.0.2.2')).toBe(false);
    now = FAILURE_BUDGET_WINDOW_MS - 1;
    expect(budget.isExhausted('192.0.2.1')).toBe(true);
    now = FAILURE_BUDGET_WINDOW_MS;
    expect(budget.isExhausted('192.0.2.1')).toBe(false);
    budget.spend('192.0.2.1');
    expect(budget.isExhausted('192.0.2.1')).toBe(false);
  });

  it('tracks a bounded number of addresses, forgetting the oldest windows first', () => {
    const budget = new FailureBudget(1, () => 0, 3);
    for (const address of ['a', 'b', 'c', 'd']) budget.spend(address);
    expect(budget.tracked).toBe(3);
    expect(budget.isExhausted('a')).toBe(false);
    expect(budget.isExhausted('d')).toBe(true);
  });

  it('refuses a limit below 1 (TypeError)', () => {
    expect(() => new FailureBudget(0)).toThrow(TypeError);
  });
});
