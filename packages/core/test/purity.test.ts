import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FINAL_STATUSES, isFinalStatus, LIVE_STATUSES } from '../src/index.js';

const srcDir = fileURLToPath(new URL('../src', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('@gsd/core', () => {
  it('imports nothing but its own modules (no processes, databases or servers)', () => {
    const files = sourceFiles(srcDir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const specifiers = [...readFileSync(file, 'utf8').matchAll(/\bfrom\s+['"]([^'"]+)['"]/g)].map(
        (m) => m[1],
      );
      for (const specifier of specifiers) expect(specifier, file).toMatch(/^\.\.?\//);
    }
  });

  it('splits statuses into live and final', () => {
    expect([...LIVE_STATUSES, ...FINAL_STATUSES].sort()).toEqual(
      ['completed', 'failed', 'idle', 'running', 'waiting_checkpoint'].sort(),
    );
    expect(isFinalStatus('completed')).toBe(true);
    expect(isFinalStatus('failed')).toBe(true);
    expect(isFinalStatus('waiting_checkpoint')).toBe(false);
  });
});
