import { defaultDbPath, DEFAULT_MAX_SESSIONS } from '@gsd/session-manager';
import { CliError } from './errors.js';

/** Options every command accepts. */
export interface CommonOptions {
  db?: string;
}

/** The database to use: `--db`, then `$GSD_HARNESS_DB`, then `~/.gsd-harness/sessions.db`. */
export function resolveDbPath(options: CommonOptions): string {
  return options.db ?? defaultDbPath();
}

/** `$GSD_CHECKPOINT_QUIET_MS`: quiet time before a screen is checked for a checkpoint (default 1500). */
export function resolveQuietMs(): number | undefined {
  const raw = process.env.GSD_CHECKPOINT_QUIET_MS;
  if (raw === undefined || raw === '') return undefined;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 50 || ms > 60_000) {
    throw new CliError(
      `Expected GSD_CHECKPOINT_QUIET_MS to be milliseconds from 50 to 60000, got ${JSON.stringify(raw)}`,
      2,
    );
  }
  return ms;
}

/** `--max-sessions`, then `$GSD_HARNESS_MAX_SESSIONS`, then 3. */
export function resolveMaxSessions(value: string | undefined): number {
  const raw = value ?? process.env.GSD_HARNESS_MAX_SESSIONS;
  if (raw === undefined || raw === '') return DEFAULT_MAX_SESSIONS;
  const max = Number(raw);
  if (!Number.isInteger(max) || max < 1 || max > 100) {
    throw new CliError(
      `Expected the session limit to be an integer from 1 to 100, got ${JSON.stringify(raw)}`,
      2,
    );
  }
  return max;
}
