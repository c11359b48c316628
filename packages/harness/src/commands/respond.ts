import { DatabaseConnection, SessionStore } from '@gsd/session-manager';
import { resolveDbPath, type CommonOptions } from '../config.js';
import { CliError } from '../errors.js';
import { loadOrCreateToken, readServerInfo } from '../server-info.js';
import { findSession } from '../session-lookup.js';

/** Answers the checkpoint a session waits at, through the running harness server that owns it. */
export async function respondCommand(
  idOrPrefix: string,
  words: string[],
  options: CommonOptions,
): Promise<void> {
  const response = words.join(' ');
  const server = readServerInfo();
  if (server === undefined) {
    throw new CliError(
      'No harness server is running. Only the process running a session can type into it: answer from the ' +
        'MCP client that started it, or run sessions under `gsd-harness start`.',
    );
  }
  const connection = new DatabaseConnection(
    options.db !== undefined ? resolveDbPath(options) : server.dbPath,
  );
  let sessionId: string;
  try {
    sessionId = findSession(new SessionStore(connection), idOrPrefix).id;
  } finally {
    connection.close();
  }
  const reply = await fetch(new URL(`/api/sessions/${sessionId}/checkpoint/response`, server.url), {
    method: 'POST',
    headers: { Authorization: `Bearer ${loadOrCreateToken()}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ response, responder: 'cli' }),
  });
  const body = (await reply.json()) as { message?: string; checkpoint?: { type: string } };
  if (!reply.ok) throw new CliError(body.message ?? `The server answered ${reply.status}`);
  process.stdout.write(
    `Answered the ${body.checkpoint?.type ?? ''} checkpoint of session ${sessionId.slice(0, 8)}: ${JSON.stringify(response)}\n`,
  );
}
