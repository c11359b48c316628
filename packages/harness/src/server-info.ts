import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkProcess, harnessHome, readProcessStartTime } from '@gsd/session-manager';

/** What a running `gsd-harness start` records so that other commands can find it. */
export interface ServerInfo {
  pid: number;
  pidStartTime: string | null;
  url: string;
  dbPath: string;
  startedAt: string;
}

function ensureHome(): string {
  const home = harnessHome();
  mkdirSync(home, { recursive: true, mode: 0o700 });
  // It holds the token and the database: owner only, even if it existed before.
  chmodSync(home, 0o700);
  return home;
}

/** Writes `content` readable by the owner only. */
function writePrivate(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o600 });
  chmodSync(path, 0o600);
}

export function tokenPath(): string {
  return join(harnessHome(), 'token');
}

/** The server's access token, created (random, mode 0600) on first use. */
export function loadOrCreateToken(): string {
  const path = join(ensureHome(), 'token');
  try {
    const existing = readFileSync(path, 'utf8').trim();
    if (existing.length >= 32) {
      chmodSync(path, 0o600);
      return existing;
    }
  } catch {
    // No token yet.
  }
  const token = randomBytes(24).toString('base64url');
  writePrivate(path, `${token}\n`);
  return token;
}

function serverInfoPath(): string {
  return join(harnessHome(), 'server.json');
}

export function writeServerInfo(info: Omit<ServerInfo, 'pid' | 'pidStartTime'>): void {
  const full: ServerInfo = { pid: process.pid, pidStartTime: readProcessStartTime(process.pid), ...info };
  writePrivate(join(ensureHome(), 'server.json'), `${JSON.stringify(full, null, 2)}\n`);
}

/** Removes the record if it is this process's. */
export function removeServerInfo(): void {
  if (readServerInfo()?.pid === process.pid) rmSync(serverInfoPath(), { force: true });
}

/** The running server's record, or undefined when none is recorded or its process is gone. */
export function readServerInfo(): ServerInfo | undefined {
  let info: ServerInfo;
  try {
    info = JSON.parse(readFileSync(serverInfoPath(), 'utf8')) as ServerInfo;
  } catch {
    return undefined;
  }
  return checkProcess(info.pid, info.pidStartTime) === 'alive' ? info : undefined;
}
