// Shared parameters of the benchmark.

/** Random bytes fed to base64: its output is 76-character lines, 64,842,106 bytes in all. */
export const SOURCE_BYTES = 48_000_000;
export const LINE_CHARS = 76;
export const COMMAND = `head -c ${SOURCE_BYTES} /dev/urandom | base64`;

export const PTY_COLS = 120;
export const PTY_ROWS = 40;

export const TAIL_BYTES = 4096;
export const TAIL_READS = 20;

/** Bytes the command prints: on a terminal each \n becomes \r\n. */
export function expectedBytes(mode) {
  const chars = Math.ceil(SOURCE_BYTES / 3) * 4;
  const lines = Math.ceil(chars / LINE_CHARS);
  return chars + lines * (mode === 'pty' ? 2 : 1);
}

/** The server benchmark (bench/server.mjs): `gsd-harness start` driven through the MCP SDK client. */
export const SERVER_BENCH = {
  maxSessions: 25,
  /** gsd_get_output tail on the 64 MB session (COMMAND). */
  tailBytes: 4096,
  tailCalls: 50,
  tailWarmUpCalls: 5,
  /** Session exit to gsd_wait_for_change returning. */
  waitRuns: 10,
  waitSleepSeconds: 0.2,
  /** Concurrent sessions printing at a steady rate (bench/emit.pl or emit.mjs) while /health is polled. */
  loadSessions: 20,
  loadBytesPerSecond: 1_000_000,
  loadSeconds: 10,
  healthIntervalMs: 20,
  idleHealthRequests: 50,
  rssIntervalMs: 100,
};

export const SERVER_TARGETS = {
  tailMs: 20,
  exitToWaitMs: 100,
  healthP99Ms: 50,
  serverRssBytes: 300e6,
};
