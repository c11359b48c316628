import { DatabaseConnection, SessionStore, terminateThroughHost } from '../../src/index.js';

/**
 * Ends every live durable session recorded in the database through its host, so that no test leaves
 * a session running after it (hosts outlive the harness on purpose).
 */
export async function endDurableSessions(dbPath: string): Promise<void> {
  let connection: DatabaseConnection;
  try {
    connection = new DatabaseConnection(dbPath);
  } catch {
    return;
  }
  try {
    const sessions = new SessionStore(connection);
    const ends = sessions.findRunning().map(async (session) => {
      const address = sessions.hostAddress(session.id);
      if (address === undefined) return;
      try {
        await terminateThroughHost(address, session.id);
      } catch {
        // Its host is already gone.
      }
    });
    await Promise.all(ends);
  } finally {
    connection.close();
  }
}
