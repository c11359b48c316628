import type { ConnectionState } from '../api/socket';
import type { Slots } from '../api/types';

interface HeaderProps {
  connection: ConnectionState;
  slots: Slots | null;
  waitingCount: number;
  notificationPermission: NotificationPermission | 'unsupported';
  onEnableNotifications: () => void;
}

/** Name, connection state, slot use, and how many sessions wait for an answer. */
export function Header({
  connection,
  slots,
  waitingCount,
  notificationPermission,
  onEnableNotifications,
}: HeaderProps) {
  const connected = connection.status === 'connected';
  return (
    <header className="header">
      <h1 className="brand">gsd-harness</h1>
      <span
        className={`connection ${connected ? 'connection-up' : 'connection-down'}`}
        data-testid="connection-status"
        title={connection.status}
      >
        {connected ? 'connected' : 'disconnected'}
      </span>
      {slots !== null && (
        <span className="slots" data-testid="slots" title={`${slots.free} free`}>
          slots {slots.used}/{slots.max}
        </span>
      )}
      {waitingCount > 0 && (
        <span className="waiting-count" data-testid="waiting-count">
          {waitingCount} waiting
        </span>
      )}
      <span className="spacer" />
      {notificationPermission === 'default' && (
        <button type="button" onClick={onEnableNotifications}>
          Enable notifications
        </button>
      )}
    </header>
  );
}
