import type { ConnectionState } from '../api/socket';
import { useNow } from '../hooks/useNow';

/** Tells the person live updates are paused, and when the next attempt is. */
export function ConnectionBanner({
  connection,
  onRetry,
}: {
  connection: ConnectionState;
  onRetry: () => void;
}) {
  const down = connection.status !== 'connected';
  const now = useNow(250, down);
  if (!down) return null;
  if (connection.status === 'connecting' || connection.retryAt === null) {
    return (
      <div className="banner" role="status" data-testid="connection-banner">
        Connecting…
      </div>
    );
  }
  const seconds = Math.max(0, Math.ceil((connection.retryAt - now) / 1000));
  return (
    <div className="banner" role="status" data-testid="connection-banner">
      Disconnected — reconnecting in {seconds}s
      <button type="button" className="link" onClick={onRetry}>
        Retry now
      </button>
    </div>
  );
}
