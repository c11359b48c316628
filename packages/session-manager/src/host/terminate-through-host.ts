import type { HostAddress } from '../db/session-store.js';
import { HostConnection } from './host-connection.js';
import type { HostExit } from './protocol.js';

/** Longest wait for a host to report the end after being asked to terminate (its grace, then SIGKILL). */
export const TERMINATE_WAIT_MS = 15_000;

/**
 * Asks a durable session's host to end the session (SIGTERM to its process group, SIGKILL after the
 * host's grace period) and resolves with the end the host recorded, or null if the connection closed
 * or `waitMs` passed first. Needs no harness: any process that can read the database can do it.
 */
export async function terminateThroughHost(
  address: HostAddress,
  sessionId: string,
  waitMs = TERMINATE_WAIT_MS,
): Promise<HostExit | null> {
  const connection = await HostConnection.open(address, sessionId, 'command');
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(null), waitMs);
    const done = (exit: HostExit | null): void => {
      clearTimeout(timer);
      void connection.close();
      resolve(exit);
    };
    connection.start({
      onOutput: () => {},
      onResized: () => {},
      onExit: (exit) => done(exit),
      onClose: () => done(null),
    });
    connection.send({ type: 'terminate' });
  });
}
