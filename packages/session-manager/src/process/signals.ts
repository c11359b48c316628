import { constants } from 'node:os';

/** The name of a signal number, e.g. 9 → `SIGKILL`; null for 0 or an unknown number. */
export function signalName(signal: number | null | undefined): string | null {
  if (!signal) return null;
  for (const [name, value] of Object.entries(constants.signals)) {
    if (value === signal) return name;
  }
  return `signal ${signal}`;
}
