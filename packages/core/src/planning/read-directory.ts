// The one module of @gsd/core that touches the file system: it reads a `.planning` tree into memory so
// that everything else parses strings. The package compiles without Node's types; this file asks for them.
/// <reference types="node" />
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The `.planning` tree in memory: path relative to `.planning/` (with `/`) → content. */
export interface PlanningFiles {
  files: Map<string, string>;
  /** Limits hit and files that could not be read, in words. */
  warnings: string[];
  /** False when the directory does not exist (or is not a directory). */
  found: boolean;
}

export interface PlanningReadLimits {
  maxFileBytes: number;
  maxFiles: number;
  maxTotalBytes: number;
  maxDepth: number;
}

/** Limits that keep a huge or looping tree from exhausting memory; reaching one is reported, not thrown. */
export const PLANNING_READ_LIMITS: Readonly<PlanningReadLimits> = {
  /** Larger files are skipped: GSD files are a few KB, a multi-MB one is a log or a dump. */
  maxFileBytes: 1024 * 1024,
  maxFiles: 5000,
  maxTotalBytes: 32 * 1024 * 1024,
  maxDepth: 8,
};

const READ_EXTENSIONS = /\.(md|json)$/i;

/**
 * Reads the `.md` and `.json` files of `<projectDir>/.planning`. Symbolic links are not followed (a
 * link to a parent would loop). Never throws.
 */
export function readPlanningDirectory(
  projectDir: string,
  limits: Readonly<PlanningReadLimits> = PLANNING_READ_LIMITS,
): PlanningFiles {
  const planningDir = join(projectDir, '.planning');
  const result: PlanningFiles = { files: new Map(), warnings: [], found: true };
  try {
    if (!statSync(planningDir).isDirectory()) return { ...result, found: false };
  } catch {
    return { ...result, found: false };
  }
  let totalBytes = 0;
  let stopped = false;

  const visit = (dir: string, relative: string, depth: number): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      result.warnings.push(`could not list ${relative || '.planning'}: ${(error as Error).message}`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (stopped) return;
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth + 1 > limits.maxDepth) {
          result.warnings.push(`skipped ${path}: deeper than maxDepth (${limits.maxDepth})`);
        } else visit(full, path, depth + 1);
        continue;
      }
      if (!entry.isFile() || !READ_EXTENSIONS.test(entry.name)) continue;
      if (result.files.size >= limits.maxFiles) {
        result.warnings.push(`stopped reading at maxFiles (${limits.maxFiles}); the state may be incomplete`);
        stopped = true;
        return;
      }
      try {
        const size = statSync(full).size;
        if (size > limits.maxFileBytes) {
          result.warnings.push(
            `skipped ${path}: ${size} bytes is over maxFileBytes (${limits.maxFileBytes})`,
          );
          continue;
        }
        if (totalBytes + size > limits.maxTotalBytes) {
          result.warnings.push(
            `stopped reading at maxTotalBytes (${limits.maxTotalBytes}); the state may be incomplete`,
          );
          stopped = true;
          return;
        }
        totalBytes += size;
        result.files.set(path, readFileSync(full, 'utf8'));
      } catch (error) {
        result.warnings.push(`could not read ${path}: ${(error as Error).message}`);
      }
    }
  };

  visit(planningDir, '', 0);
  return result;
}
