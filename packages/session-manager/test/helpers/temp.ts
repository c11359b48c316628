import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary directory for one test, removed by `remove()`. */
export function makeTempDir(prefix = 'gsd-test-'): { dir: string; dbPath: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    dbPath: join(dir, 'sessions.db'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

type Falsy = undefined | null | false | 0 | '';

/** Polls `check` (sync or async) until it gives a truthy value or `timeoutMs` passes. */
export async function pollUntil<T>(
  check: () => T | Falsy | Promise<T | Falsy>,
  timeoutMs = 10_000,
  intervalMs = 10,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as T;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
