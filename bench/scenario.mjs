// One measurement, run in its own process so that its peak RSS is its own.
//
//   node bench/scenario.mjs <harness|file|raw-pty> <pipe|pty> <work-dir> [--detect-checkpoints=on|off]
//
// --detect-checkpoints (harness only) sets the manager's `detectCheckpoints` option and adds
// `detectCheckpoints` to the result; without it the manager's default applies.
//
// Prints one JSON object on stdout. Progress and errors go to stderr.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SOURCE_BYTES, COMMAND, LINE_CHARS, PTY_COLS, PTY_ROWS, TAIL_BYTES, TAIL_READS } from './config.mjs';

const requireFromSessionManager = createRequire(
  new URL('../packages/session-manager/package.json', import.meta.url),
);
const sessionManagerEntry = new URL('../packages/session-manager/dist/index.js', import.meta.url);

/** Samples RSS every ~20 ms; `peak()` also folds in the kernel's high-water mark. */
function rssSampler() {
  let max = process.memoryUsage.rss();
  const timer = setInterval(() => {
    max = Math.max(max, process.memoryUsage.rss());
  }, 20);
  return {
    peak() {
      max = Math.max(max, process.memoryUsage.rss());
      // maxRSS is in kilobytes.
      return { sampled: max, maxRss: process.resourceUsage().maxRSS * 1024 };
    },
    stop() {
      clearInterval(timer);
    },
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const BASE64 = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=')
  BASE64[c.charCodeAt(0)] = 1;

/**
 * Checks output fed in chunks: every line is LINE_CHARS base64 characters except the final one,
 * each line ends in \n (\r\n on a terminal), nothing follows the final newline, and the line count
 * matches the source size.
 */
function contentChecker(pty) {
  const totalChars = Math.ceil(SOURCE_BYTES / 3) * 4;
  const expectedLines = Math.ceil(totalChars / LINE_CHARS);
  const lastLineChars = totalChars - (expectedLines - 1) * LINE_CHARS;
  let chars = 0; // base64 characters in the current line so far
  let cr = false; // the previous byte of the current line was \r
  let trailing = 0; // bytes of the current line so far
  let lines = 0;
  let badLines = 0;
  let badBytes = 0;
  let firstProblem = null;
  const problem = (text) => {
    firstProblem ??= text;
  };
  return {
    push(chunk) {
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(10, start);
        const end = nl === -1 ? chunk.length : nl;
        for (let i = start; i < end; i++) {
          const b = chunk[i];
          if (cr) {
            badBytes++;
            problem(`\\r inside line ${lines + 1}`);
            cr = false;
          }
          if (BASE64[b] === 1) chars++;
          else if (pty && b === 13) cr = true;
          else {
            badBytes++;
            problem(`byte 0x${b.toString(16)} in line ${lines + 1}`);
          }
        }
        trailing += end - start;
        if (nl === -1) return;
        const want = lines === expectedLines - 1 ? lastLineChars : LINE_CHARS;
        if (chars !== want || cr !== pty) {
          badLines++;
          problem(`line ${lines + 1}: ${chars} characters${pty && !cr ? ', no \\r' : ''}`);
        }
        lines++;
        chars = 0;
        cr = false;
        trailing = 0;
        start = nl + 1;
      }
    },
    result() {
      if (trailing !== 0) problem(`${trailing} bytes after the final newline`);
      if (lines !== expectedLines) problem(`${lines} lines, expected ${expectedLines}`);
      const ok = badLines === 0 && badBytes === 0 && trailing === 0 && lines === expectedLines;
      return { ok, lines, badLines, badBytes, firstProblem };
    },
  };
}

async function runHarness(mode, dir, detectCheckpoints) {
  const { PersistentSessionManager, DatabaseConnection, OutputStore } = await import(
    sessionManagerEntry.href
  );
  const dbPath = join(dir, 'sessions.db');
  const pty = mode === 'pty';
  const storageErrors = [];

  const manager = new PersistentSessionManager(
    detectCheckpoints === undefined ? { dbPath } : { dbPath, detectCheckpoints },
  );
  manager.on('storage:error', ({ error }) => storageErrors.push(String(error?.message ?? error)));
  await manager.ready;

  const rss = rssSampler();
  let sessionId = null;
  const ended = new Promise((resolve) => {
    const done = (event) => {
      if (sessionId === null || event.session.id === sessionId) resolve({ event, at: performance.now() });
    };
    manager.on('session:completed', done);
    manager.on('session:failed', done);
  });
  const t0 = performance.now();
  const session = await manager.spawn(dir, COMMAND, { pty, cols: PTY_COLS, rows: PTY_ROWS });
  sessionId = session.id;
  const { event, at } = await ended;
  const seconds = (at - t0) / 1000;
  const recordPeak = rss.peak();
  rss.stop();

  const stored = manager.outputStore.totalBytes(sessionId);
  const rows = manager.outputStore.chunkCount(sessionId);
  const status = event.session.status;
  const failureReason = event.session.failureReason ?? null;
  const reportedBytes = event.session.outputBytes;
  await manager.close();

  // Reads on a freshly opened database, as another process would see it.
  const connection = new DatabaseConnection(dbPath);
  const store = new OutputStore(connection);
  let tail = store.tail(sessionId, TAIL_BYTES); // warm-up
  const tailTimes = [];
  for (let i = 0; i < TAIL_READS; i++) {
    const s = performance.now();
    tail = store.tail(sessionId, TAIL_BYTES);
    tailTimes.push(performance.now() - s);
  }
  const tailOk = tail.data.length === Math.min(TAIL_BYTES, stored) && tail.nextOffset === stored;

  const s = performance.now();
  let streamed = 0;
  for (const chunk of store.stream(sessionId)) streamed += chunk.length;
  const streamSeconds = (performance.now() - s) / 1000;

  const checker = contentChecker(pty);
  for (const chunk of store.stream(sessionId)) checker.push(chunk);
  const content = checker.result();
  connection.close();

  return {
    seconds,
    bytes: stored,
    reportedBytes,
    rows,
    status,
    failureReason,
    storageErrors,
    rssRecord: Math.max(recordPeak.sampled, recordPeak.maxRss),
    tailMs: median(tailTimes),
    tailMaxMs: Math.max(...tailTimes),
    tailOk,
    streamSeconds,
    streamed,
    streamOk: streamed === stored,
    content,
  };
}

async function runFile(dir) {
  const file = join(dir, 'out.txt');
  const rss = rssSampler();
  const t0 = performance.now();
  const exit = await new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', `${COMMAND} > '${file}'`], { cwd: dir, stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const seconds = (performance.now() - t0) / 1000;
  const peak = rss.peak();
  rss.stop();
  return {
    seconds,
    bytes: statSync(file).size,
    status: exit.code === 0 ? 'completed' : `exit ${exit.code ?? exit.signal}`,
    rssRecord: Math.max(peak.sampled, peak.maxRss),
  };
}

async function runRawPty(dir) {
  const pty = requireFromSessionManager('node-pty');
  const rss = rssSampler();
  const t0 = performance.now();
  let bytes = 0;
  let dataEvents = 0;
  const exit = await new Promise((resolve) => {
    const terminal = pty.spawn('/bin/sh', ['-c', COMMAND], {
      name: 'xterm-256color',
      cols: PTY_COLS,
      rows: PTY_ROWS,
      cwd: dir,
      env: { ...process.env, TERM: 'xterm-256color' },
      encoding: null,
    });
    terminal.onData((data) => {
      bytes += data.length;
      dataEvents++;
    });
    terminal.onExit(resolve);
  });
  const seconds = (performance.now() - t0) / 1000;
  const peak = rss.peak();
  rss.stop();
  return {
    seconds,
    bytes,
    dataEvents,
    status: exit.exitCode === 0 ? 'completed' : `exit ${exit.exitCode} signal ${exit.signal}`,
    rssRecord: Math.max(peak.sampled, peak.maxRss),
  };
}

const USAGE =
  'usage: node bench/scenario.mjs <harness|file|raw-pty> <pipe|pty> <work-dir> [--detect-checkpoints=on|off]\n';

/** `--detect-checkpoints=on|off` → true/false; absent → undefined (the manager's default). */
function parseDetect(args, kind) {
  if (args.length === 0) return undefined;
  const match =
    args.length === 1 && kind === 'harness' ? /^--detect-checkpoints=(on|off)$/.exec(args[0]) : null;
  if (match === null) {
    process.stderr.write(USAGE);
    process.exit(2);
  }
  return match[1] === 'on';
}

async function main() {
  const [kind, mode, dir, ...options] = process.argv.slice(2);
  if (!['harness', 'file', 'raw-pty'].includes(kind) || !['pipe', 'pty'].includes(mode) || !dir) {
    process.stderr.write(USAGE);
    process.exit(2);
  }
  const detectCheckpoints = parseDetect(options, kind);
  mkdirSync(dir, { recursive: true });
  try {
    let result;
    if (kind === 'harness') result = await runHarness(mode, dir, detectCheckpoints);
    else if (kind === 'file') result = await runFile(dir);
    else result = await runRawPty(dir);
    const usage = process.resourceUsage();
    result.rssPeak = Math.max(result.rssRecord, usage.maxRSS * 1024);
    result.cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
    if (detectCheckpoints !== undefined) result.detectCheckpoints = detectCheckpoints;
    process.stdout.write(`${JSON.stringify({ kind, mode, ...result })}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`scenario ${process.argv.slice(2, 4).join(' ')} failed: ${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
