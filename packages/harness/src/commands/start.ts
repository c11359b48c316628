import type { RecoveryResult } from '@gsd/core';
import { agentCommandFromEnv, PersistentSessionManager } from '@gsd/session-manager';
import { DEFAULT_HOST, DEFAULT_PORT, startHarnessServer } from '@gsd/web-server';
import { resolveDbPath, resolveMaxSessions, resolveQuietMs, type CommonOptions } from '../config.js';
import { CliError } from '../errors.js';
import { loadOrCreateToken, readServerInfo, removeServerInfo, writeServerInfo } from '../server-info.js';

export interface StartOptions extends CommonOptions {
  port?: string;
  host?: string;
  maxSessions?: string;
  allowHost?: string[];
}

function parsePort(value: string | undefined): number {
  const raw = value ?? process.env.GSD_HARNESS_PORT;
  if (raw === undefined || raw === '') return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliError(`Expected the port to be an integer from 0 to 65535, got ${JSON.stringify(raw)}`, 2);
  }
  return port;
}

/** Says on stderr what startup recovery found. */
function reportRecovery(recovery: RecoveryResult): void {
  if (recovery.reattached.length > 0) {
    process.stderr.write(`Re-attached ${recovery.reattached.length} durable session(s) still running.\n`);
  }
  for (const { sessionId, reason } of recovery.notReattached) {
    process.stderr.write(`Could not re-attach session ${sessionId.slice(0, 8)}: ${reason}\n`);
  }
  if (recovery.orphanedCount > 0) {
    process.stderr.write(
      `Marked ${recovery.orphanedCount} session(s) left by a stopped harness as failed.\n`,
    );
  }
}

/** Runs the harness server until SIGINT/SIGTERM. */
export async function startCommand(options: StartOptions): Promise<void> {
  const port = parsePort(options.port);
  const host = options.host ?? DEFAULT_HOST;
  const running = readServerInfo();
  if (running !== undefined) {
    throw new CliError(`A harness server is already running (pid ${running.pid}) at ${running.url}`);
  }
  const dbPath = resolveDbPath(options);
  const manager = new PersistentSessionManager({
    dbPath,
    maxSessions: resolveMaxSessions(options.maxSessions),
    checkpointQuietMs: resolveQuietMs(),
    // Sessions outlive the server; a restarted server takes them back.
    durableByDefault: true,
    reattach: true,
  });
  const recovery = await manager.ready;
  const token = loadOrCreateToken();
  let server;
  try {
    server = await startHarnessServer({
      manager,
      token,
      host,
      port,
      agentCommand: agentCommandFromEnv(),
      extraHosts: options.allowHost ?? [],
    });
  } catch (error) {
    await manager.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new CliError(`Port ${port} on ${host} is in use; choose another with --port or GSD_HARNESS_PORT`);
    }
    throw error;
  }
  writeServerInfo({ url: server.url, dbPath, startedAt: new Date().toISOString() });

  if (recovery !== null) reportRecovery(recovery);
  if (host !== DEFAULT_HOST) {
    process.stderr.write(
      `Listening on ${host}: reachable beyond this machine; the token is still required.\n`,
    );
  }
  process.stdout.write(
    `gsd-harness server running (pid ${process.pid}, database ${dbPath})\n` +
      `  ${server.url}/?token=${token}\n` +
      `  MCP: ${server.url}/mcp  (header Authorization: Bearer <token>; token in ~/.gsd-harness/token)\n`,
  );

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  process.stderr.write(
    'Stopping: durable sessions keep running under their hosts (the next start takes them back); ' +
      'ending the others…\n',
  );
  removeServerInfo();
  await server.close();
  await manager.close();
}
