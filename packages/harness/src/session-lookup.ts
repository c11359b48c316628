import type { Session } from '@gsd/core';
import type { SessionStore } from '@gsd/session-manager';
import { CliError } from './errors.js';

/** Finds a session by its full id or a unique prefix of it (as `ls` shows). */
export function findSession(store: SessionStore, idOrPrefix: string): Session {
  const wanted = idOrPrefix.trim();
  if (wanted === '') throw new CliError('Expected a session id (or the start of one, as `ls` shows)');
  const exact = store.get(wanted);
  if (exact !== undefined) return exact;
  const matches = store.findByPrefix(wanted);
  if (matches.length === 1) return matches[0] as Session;
  if (matches.length === 0) {
    throw new CliError(`No session matches ${JSON.stringify(wanted)}; \`gsd-harness ls\` lists sessions`);
  }
  const ids = matches.map((s) => `  ${s.id}  ${s.command}`).join('\n');
  throw new CliError(`${JSON.stringify(wanted)} matches several sessions; give more of the id:\n${ids}`);
}
