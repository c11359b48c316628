import { useEffect, useState } from 'react';

/** The current time, refreshed every `intervalMs` while `ticking`. */
export function useNow(intervalMs = 1000, ticking = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, ticking]);
  return now;
}
