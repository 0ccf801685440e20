import { afterEach, describe, expect, it, vi } from 'vitest';
import { act } from 'preact/test-utils';
import { useAutoLock } from './autolock';
import { render } from '../../test/render';

function Probe({ minutes, onLock }: { minutes: number; onLock: () => void }) {
  useAutoLock(minutes, onLock);
  return null;
}

function setVisibility(state: 'hidden' | 'visible') {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  act(() => {
    document.dispatchEvent(new Event('visibilitychange'));
  });
}

afterEach(() => {
  vi.useRealTimers();
  setVisibility('visible');
});

describe('auto-lock', () => {
  it('locks after the delay without activity, and activity postpones it', () => {
    vi.useFakeTimers();
    const onLock = vi.fn();
    render(<Probe minutes={2} onLock={onLock} />);
    vi.advanceTimersByTime(90_000);
    window.dispatchEvent(new Event('keydown'));
    vi.advanceTimersByTime(90_000);
    expect(onLock).not.toHaveBeenCalled();
    vi.advanceTimersByTime(31_000);
    expect(onLock).toHaveBeenCalledTimes(1);
  });

  it('locks when the window comes back after being hidden longer than the delay', () => {
    vi.useFakeTimers();
    const onLock = vi.fn();
    render(<Probe minutes={1} onLock={onLock} />);
    setVisibility('hidden');
    vi.setSystemTime(Date.now() + 61_000);
    setVisibility('visible');
    expect(onLock).toHaveBeenCalledTimes(1);
  });

  it('does not lock after a short absence', () => {
    vi.useFakeTimers();
    const onLock = vi.fn();
    render(<Probe minutes={5} onLock={onLock} />);
    setVisibility('hidden');
    vi.setSystemTime(Date.now() + 10_000);
    setVisibility('visible');
    expect(onLock).not.toHaveBeenCalled();
  });
});
