import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { harnessHome } from '../db/database.js';
import { SessionError } from '../errors.js';

/** Longest Unix socket path Linux accepts (sun_path is 108 bytes with its terminating NUL). */
export const MAX_SOCKET_PATH_BYTES = 107;

/** `hosts/` in the harness home: where session hosts listen. */
export function defaultHostDir(): string {
  return join(harnessHome(), 'hosts');
}

/** Creates the host directory, owner only (mode 0700, even if it existed). */
export function ensureHostDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** The socket a session's host listens on. */
export function hostSocketPath(dir: string, sessionId: string): string {
  const path = join(dir, `${sessionId}.sock`);
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) {
    throw new SessionError(
      'INVALID_ARGUMENT',
      `The session host socket path ${path} is longer than ${MAX_SOCKET_PATH_BYTES} bytes; ` +
        'move the harness home (GSD_HARNESS_HOME) to a shorter path',
    );
  }
  return path;
}

/** The host's log (its stderr), beside its socket. */
export function hostLogPath(socketPath: string): string {
  return socketPath.replace(/\.sock$/, '.log');
}

export function newHostSecret(): string {
  return randomBytes(32).toString('hex');
}

export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

/** What the host answers a client's nonce with: only a process that knows the secret can compute it. */
export function hostProof(secret: string, nonce: string, sessionId: string): string {
  return createHmac('sha256', secret).update(`${nonce}:${sessionId}`).digest('hex');
}

export function proofMatches(secret: string, nonce: string, sessionId: string, proof: unknown): boolean {
  if (typeof proof !== 'string') return false;
  const expected = Buffer.from(hostProof(secret, nonce, sessionId), 'hex');
  const given = Buffer.from(proof, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Why the socket file cannot be a session host's, or null when it can: it must be a socket owned by
 * this user with no access for anyone else.
 */
export function untrustedSocketReason(path: string): string | null {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return `no socket at ${path}`;
  }
  if (!stat.isSocket()) return `${path} is not a socket`;
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) return `${path} belongs to another user (uid ${stat.uid})`;
  if ((stat.mode & 0o077) !== 0) {
    return `${path} is open to other users (mode ${(stat.mode & 0o777).toString(8)})`;
  }
  return null;
}
