import { DeviceGate, type Admitted } from './device-gate';

const SUCCESS = { by: 'device', succeeded: true } as const;
const FAILURE = { by: 'device', succeeded: false } as const;

function granted(result: Admitted | string): Admitted {
  if (typeof result === 'string') throw new Error(`refused: ${result}`);
  return result;
}

describe('DeviceGate', () => {
  it('allows one outstanding primary request; a second is DEVICE_BUSY until the first completes', () => {
    const gate = new DeviceGate({ sessionIdleMs: 1000 });
    const first = granted(gate.admit('a', 'primary'));
    expect(gate.admit('b', 'primary')).toBe('DEVICE_BUSY');
    expect(gate.admit('a', 'session-start')).toBe('DEVICE_BUSY');
    gate.complete(first, SUCCESS);
    expect(granted(gate.admit('b', 'primary')).slot).toBe('primary');
  });

  it('lets one secondary request pass alongside a primary one, not two', () => {
    const gate = new DeviceGate({ sessionIdleMs: 1000 });
    granted(gate.admit('a', 'primary'));
    const status = granted(gate.admit('b', 'secondary'));
    expect(status.slot).toBe('secondary');
    expect(gate.admit('c', 'secondary')).toBe('DEVICE_BUSY');
    gate.complete(status, SUCCESS);
    expect(granted(gate.admit('c', 'secondary')).slot).toBe('secondary');
  });

  it('gives the session to the POS whose SESSION/START it admitted; others get SESSION_OWNED, also for secondary commands', () => {
    const gate = new DeviceGate({ sessionIdleMs: 1000 });
    const start = granted(gate.admit('owner', 'session-start'));
    expect(start.grantedSession).toBe(true);
    expect(gate.owner).toBe('owner');
    gate.complete(start, SUCCESS);
    expect(gate.admit('other', 'primary')).toBe('SESSION_OWNED');
    expect(gate.admit('other', 'secondary')).toBe('SESSION_OWNED');
    expect(gate.admit('other', 'session-finish')).toBe('SESSION_OWNED');
    gate.complete(granted(gate.admit('owner', 'primary')), SUCCESS);
    gate.close();
  });

  it('ends the session when its SESSION/FINISH is answered, whatever the answer', () => {
    const gate = new DeviceGate({ sessionIdleMs: 1000 });
    gate.complete(granted(gate.admit('owner', 'session-start')), SUCCESS);
    const finish = granted(gate.admit('owner', 'session-finish'));
    expect(gate.owner).toBe('owner');
    gate.complete(finish, FAILURE);
    expect(gate.owner).toBeUndefined();
    expect(granted(gate.admit('other', 'primary')).slot).toBe('primary');
  });

  it('undoes a session whose SESSION/START failed or was answered by the relay', () => {
    const gate = new DeviceGate({ sessionIdleMs: 1000 });
    gate.complete(granted(gate.admit('a', 'session-start')), FAILURE);
    expect(gate.owner).toBeUndefined();
    gate.complete(granted(gate.admit('a', 'session-start')), { by: 'relay' });
    expect(gate.owner).toBeUndefined();
  });

  it('keeps an existing session when its owner repeats SESSION/START and that fails', () => {
    const gate = new DeviceGate({ sessionIdleMs: 1000 });
    gate.complete(granted(gate.admit('a', 'session-start')), SUCCESS);
    const again = granted(gate.admit('a', 'session-start'));
    expect(again.grantedSession).toBe(false);
    gate.complete(again, FAILURE);
    expect(gate.owner).toBe('a');
    gate.close();
  });

  it('ends the session when its owner disconnects; other clients leaving change nothing', () => {
    const gate = new DeviceGate({ sessionIdleMs: 1000 });
    gate.complete(granted(gate.admit('a', 'session-start')), SUCCESS);
    gate.releaseClient('b');
    expect(gate.owner).toBe('a');
    gate.releaseClient('a');
    expect(gate.owner).toBeUndefined();
  });

  it('ends an idle session after sessionIdleMs without requests, and not while a request is outstanding', () => {
    jest.useFakeTimers();
    try {
      const expired: string[] = [];
      const gate = new DeviceGate({ sessionIdleMs: 1000, onSessionExpired: (client) => expired.push(client) });
      gate.complete(granted(gate.admit('a', 'session-start')), SUCCESS);
      jest.advanceTimersByTime(999);
      const payment = granted(gate.admit('a', 'primary')); // activity: the idle clock stops
      jest.advanceTimersByTime(5000);
      expect(gate.owner).toBe('a');
      gate.complete(payment, SUCCESS); // idle again from here
      jest.advanceTimersByTime(999);
      expect(gate.owner).toBe('a');
      jest.advanceTimersByTime(1);
      expect(gate.owner).toBeUndefined();
      expect(expired).toEqual(['a']);
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses a non-positive idle timeout with TypeError', () => {
    expect(() => new DeviceGate({ sessionIdleMs: 0 })).toThrow(TypeError);
  });
});
