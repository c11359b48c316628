import { useNow } from '../hooks/useNow';
import { elapsedMs, formatDuration } from '../format';

/** Run time, ticking every second until the session ends. */
export function Elapsed({ startedAt, endedAt }: { startedAt: string; endedAt: string | null }) {
  const now = useNow(1000, endedAt === null);
  return (
    <span className="elapsed" title={`Started ${new Date(startedAt).toLocaleString()}`}>
      {formatDuration(elapsedMs(startedAt, endedAt, now))}
    </span>
  );
}
