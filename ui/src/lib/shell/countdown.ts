//! `useCountdown`: seconds left until a deadline, ticking every second (throttling).
import { useEffect, useState } from 'preact/hooks';

export function useCountdown(): [number, (secs: number) => void] {
  const [until, setUntil] = useState<number | null>(null);
  const [left, setLeft] = useState(0);

  useEffect(() => {
    if (until === null) return undefined;
    const tick = () => {
      const s = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      setLeft(s);
      if (s === 0) setUntil(null);
    };
    tick();
    const id = setInterval(tick, 250);
    return () => clearInterval(id);
  }, [until]);

  const start = (secs: number) => {
    setLeft(Math.max(0, Math.ceil(secs)));
    setUntil(Date.now() + secs * 1000);
  };
  return [left, start];
}
