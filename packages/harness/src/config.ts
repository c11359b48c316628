import { defaultDbPath } from '@gsd/session-manager';

/** Options every command accepts. */
export interface CommonOptions {
  db?: string;
}

/** The database to use: `--db`, then `$GSD_HARNESS_DB`, then `~/.gsd-harness/sessions.db`. */
export function resolveDbPath(options: CommonOptions): string {
  return options.db ?? defaultDbPath();
}
