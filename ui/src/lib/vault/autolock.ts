//! Auto-lock: locks after `minutes` without mouse or keyboard activity, and when the
//! window comes back after being hidden for longer than the same delay.
import { useEffect, useRef } from 'preact/hooks';

const ACTIVITY_EVENTS = ['mousemove', 'mousedown', 'keydown', 'wheel', 'touchstart'] as const;

export function useAutoLock(minutes: number, onLock: () => void): void {
  const lockRef = useRef(onLock);
  lockRef.current = onLock;

  useEffect(() => {
    if (!(minutes > 0)) return undefined;
    const delay = minutes * 60_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let hiddenAt: number | null = null;
    let fired = false;

    const fire = () => {
      if (fired) return;
      fired = true;
      lockRef.current();
    };
    const arm = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(fire, delay);
    };
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') {
        hiddenAt = Date.now();
      } else if (hiddenAt !== null) {
        const away = Date.now() - hiddenAt;
        hiddenAt = null;
        if (away >= delay) fire();
        else arm();
      }
    };

    arm();
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, arm, { passive: true });
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      if (timer !== undefined) clearTimeout(timer);
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, arm);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [minutes]);
}
