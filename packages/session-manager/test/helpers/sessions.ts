import type { Session } from '@gsd/core';

let counter = 0;

/** A session record for store tests; every field can be overridden. */
export function makeSession(overrides: Partial<Session> = {}): Session {
  counter++;
  return {
    id: `session-${counter}`,
    slot: 1,
    workingDir: '/tmp',
    command: 'echo hello',
    mode: 'pipe',
    status: 'running',
    pid: null,
    pidStartTime: null,
    ownerId: null,
    startedAt: new Date(1_700_000_000_000 + counter * 1000),
    endedAt: null,
    exitCode: null,
    signal: null,
    failureReason: null,
    outputBytes: 0,
    cols: null,
    rows: null,
    durable: false,
    agentSessionId: null,
    resumedFrom: null,
    ...overrides,
  };
}
