import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { SessionError } from './errors.js';

function describe(value: unknown): string {
  if (typeof value === 'string') return `${JSON.stringify(value)} (string)`;
  return `${String(value)} (${value === null ? 'null' : typeof value})`;
}

/** Resolves `workingDir` to an absolute path and checks that it is an existing directory. */
export function validateWorkingDir(workingDir: unknown): string {
  if (typeof workingDir !== 'string' || workingDir.trim() === '') {
    throw new SessionError(
      'INVALID_ARGUMENT',
      `Expected the working directory to be a non-empty path, got ${describe(workingDir)}`,
    );
  }
  const absolute = resolve(workingDir);
  let stats;
  try {
    stats = statSync(absolute);
  } catch (error) {
    throw new SessionError('WORKING_DIR_NOT_FOUND', `Working directory does not exist: ${absolute}`, {
      cause: error,
    });
  }
  if (!stats.isDirectory()) {
    throw new SessionError('WORKING_DIR_NOT_DIRECTORY', `Working directory is not a directory: ${absolute}`);
  }
  return absolute;
}

/** Checks that `command` is a non-empty shell command line. */
export function validateCommand(command: unknown): string {
  if (typeof command !== 'string' || command.trim() === '') {
    throw new SessionError(
      'INVALID_ARGUMENT',
      `Expected the command to be a non-empty shell command line, got ${describe(command)}`,
    );
  }
  if (command.includes('\0')) {
    throw new SessionError('INVALID_ARGUMENT', 'The command must not contain NUL characters');
  }
  return command;
}

/** Checks a terminal dimension (columns or rows). */
export function validateDimension(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 10_000) {
    throw new SessionError(
      'INVALID_ARGUMENT',
      `Expected the \`${name}\` option to be an integer from 1 to 10000, got ${describe(value)}`,
    );
  }
  return value;
}

/** Checks that every environment value is a string. */
export function validateEnv(env: unknown): Record<string, string> {
  if (env === undefined) return {};
  if (typeof env !== 'object' || env === null || Array.isArray(env)) {
    throw new SessionError(
      'INVALID_ARGUMENT',
      `Expected the \`env\` option to be an object of strings, got ${describe(env)}`,
    );
  }
  for (const [key, value] of Object.entries(env)) {
    if (typeof value !== 'string') {
      throw new SessionError(
        'INVALID_ARGUMENT',
        `Expected env.${key} to be a string, got ${describe(value)}`,
      );
    }
  }
  return env as Record<string, string>;
}
