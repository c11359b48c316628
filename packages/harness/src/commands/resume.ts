import { resolve } from 'node:path';
import type { Session } from '@gsd/core';
import { agentCommandFromEnv, DatabaseConnection, resumeSession, SessionStore } from '@gsd/session-manager';
import type { CommonOptions } from '../config.js';
import { CliError } from '../errors.js';
import { runInForeground } from '../foreground.js';
import { loadOrCreateToken, readServerInfo, type ServerInfo } from '../server-info.js';
import { findSession } from '../session-lookup.js';

export interface ResumeOptions extends CommonOptions {
  /** Run the resumed session on this terminal even when a harness server is running. */
  foreground?: boolean;
}

/**
 * Continues an ended agent session's conversation (`<agent> --resume <id>`) in a new session: started by
 * the running harness server when there is one on this database, otherwise run here in the foreground.
 * Resolves to the exit status for the command.
 */
export async function resumeCommand(
  idOrPrefix: string,
  words: string[],
  options: ResumeOptions,
): Promise<number> {
  const prompt = words.length === 0 ? undefined : words.join(' ');
  const server = options.foreground === true ? undefined : readServerInfo();
  if (server !== undefined && (options.db === undefined || sameFile(options.db, server.dbPath))) {
    await resumeOnServer(server, idOrPrefix, prompt);
    return 0;
  }
  return runInForeground(options, (manager, size) =>
    resumeSession(manager, agentCommandFromEnv(), {
      sessionId: findSession(manager.sessionStore, idOrPrefix).id,
      prompt,
      ...size,
    }),
  );
}

function sameFile(a: string, b: string): boolean {
  return resolve(a) === resolve(b);
}

async function resumeOnServer(
  server: ServerInfo,
  idOrPrefix: string,
  prompt: string | undefined,
): Promise<void> {
  const connection = new DatabaseConnection(server.dbPath);
  let previous: Session;
  try {
    previous = findSession(new SessionStore(connection), idOrPrefix);
  } finally {
    connection.close();
  }
  let reply: Response;
  try {
    reply = await fetch(new URL(`/api/sessions/${previous.id}/resume`, server.url), {
      method: 'POST',
      headers: { Authorization: `Bearer ${loadOrCreateToken()}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(prompt === undefined ? {} : { prompt }),
    });
  } catch (error) {
    throw new CliError(`Cannot reach the harness server at ${server.url}: ${(error as Error).message}`);
  }
  const body = (await reply.json()) as { message?: string; id?: string };
  if (!reply.ok || body.id === undefined)
    throw new CliError(body.message ?? `The server answered ${reply.status}`);
  const short = body.id.slice(0, 8);
  process.stdout.write(
    `Resumed session ${previous.id.slice(0, 8)} as session ${body.id} on the harness server.\n` +
      `Follow it with \`gsd-harness attach ${short}\` or \`gsd-harness logs ${short} --follow\`, or in the dashboard (${server.url}/#/session/${body.id}).\n`,
  );
}
