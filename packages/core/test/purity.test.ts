import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FINAL_STATUSES, isFinalStatus, LIVE_STATUSES } from '../src/index.js';

const srcDir = fileURLToPath(new URL('../src', import.meta.url));
/** The one module that reads the file system (a project's `.planning` tree), and all it may import. */
const DIRECTORY_READER = join(srcDir, 'planning', 'read-directory.ts');
const READER_IMPORTS = ['node:fs', 'node:path'];

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
    expect(files).toContain(DIRECTORY_READER);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const specifiers = [...text.matchAll(/\b(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
      for (const specifier of specifiers) {
        if (file === DIRECTORY_READER && READER_IMPORTS.includes(specifier ?? '')) continue;
        expect(specifier, file).toMatch(/^\.\.?\//);
      }
      // Node's types are not in the package's compiler settings; only the reader may ask for them.
      if (file !== DIRECTORY_READER) expect(text, file).not.toMatch(/<reference\s+types=["']node["']/);
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
