import { screenLine } from './device-status';

describe('screenLine', () => {
  it('shows the status, and for a retry the wait and the reason', () => {
    expect(screenLine('1', 'connected')).toBe('[pinpad 1] connected');
    expect(screenLine('1', 'reconnecting (attempt 3)', { attempt: 3, delayMs: 1234, reason: 'connect ECONNREFUSED 127.0.0.1:8080' })).toBe(
      '[pinpad 1] reconnecting (attempt 3) — in 1.2 s (connect ECONNREFUSED 127.0.0.1:8080)',
    );
    expect(screenLine('1', 'connecting', { attempt: 2, delayMs: 250, reason: undefined })).toBe('[pinpad 1] connecting — attempt 2 in 0.3 s');
  });
});
