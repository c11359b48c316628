// Server benchmark: `gsd-harness start` as a child process, driven through the MCP SDK's own `Client`
// over Streamable HTTP, as an orchestrating session would drive it.
//
//   - gsd_get_output tail of 4 KB on a session with 64 MB of history;
//   - latency from a session's exit to gsd_wait_for_change returning;
//   - 20 sessions printing 1 MB/s each for 10 s while /health is polled, and the server's RSS.
//
// Each part that needs a clean process (the load, for its RSS) gets its own server, home and database
// in a temp dir. `stopAllServers()` ends every server this module started and removes its temp dir.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { COMMAND, SERVER_BENCH as P, SERVER_TARGETS as TARGETS, expectedBytes } from './config.mjs';

export const SERVER_PARTS = ['tail', 'wait', 'load'];

const CLI = fileURLToPath(new URL('../packages/harness/dist/cli.js', import.meta.url));
const EMIT_PL = fileURLToPath(new URL('./emit.pl', import.meta.url));
const EMIT_MJS = fileURLToPath(new URL('./emit.mjs', import.meta.url));
const requireFromHarness = createRequire(new URL('../packages/harness/package.json', import.meta.url));

/** Imports a module of the MCP SDK as the harness package resolves it. */
const sdk = (path) =>
  import(pathToFileURL(requireFromHarness.resolve(`@modelcontextprotocol/sdk/${path}`)).href);

const STARTUP_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;
const CALL_TIMEOUT_MS = 70_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const shellQuote = (text) => `'${text.replace(/'/g, `'\\''`)}'`;
/** Wall-clock time in nanoseconds (CLOCK_REALTIME, as `date +%s%N`), to the microsecond. */
const wallNs = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;

/**
 * The load sessions' program: bench/emit.pl where Perl (with Time::HiRes) is available, as it starts
 * in milliseconds; otherwise, or with BENCH_EMITTER=node, bench/emit.mjs (a Node.js process per
 * session, whose start-up loads a small machine while the sessions are being started).
 */
function loadGenerator() {
  const wanted = process.env.BENCH_EMITTER ?? 'perl';
  if (
    wanted !== 'node' &&
    spawnSync('perl', ['-MTime::HiRes', '-e', '1'], { stdio: 'ignore' }).status === 0
  ) {
    return { label: 'perl bench/emit.pl', command: `perl ${shellQuote(EMIT_PL)}` };
  }
  return { label: 'node bench/emit.mjs', command: `${shellQuote(process.execPath)} ${shellQuote(EMIT_MJS)}` };
}

/** Servers started and not yet stopped. */
const live = new Set();
/** Set once everything is being stopped (a signal): no server may start after that. */
let stopping = false;

/** Starts `gsd-harness start --port 0` on a fresh home and database, and connects an MCP client. */
export async function startServer() {
  if (stopping) throw new Error('the benchmark is stopping');
  const dir = mkdtempSync(join(tmpdir(), 'gsd-bench-server-'));
  const home = join(dir, 'home');
  const work = join(dir, 'work');
  mkdirSync(work, { recursive: true });
  const server = { dir, work, child: null, exited: null, sessionPids: new Set(), client: null, agent: null };
  live.add(server);

  const env = { ...process.env, GSD_HARNESS_HOME: home, GSD_HARNESS_DB: join(home, 'sessions.db') };
  delete env.GSD_HARNESS_PORT;
  delete env.GSD_HARNESS_MAX_SESSIONS;
  const child = spawn(
    process.execPath,
    [CLI, 'start', '--port', '0', '--max-sessions', String(P.maxSessions)],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server.child = child;
  server.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let stdout = '';
  server.stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr
    .setEncoding('utf8')
    .on('data', (text) => (server.stderr = (server.stderr + text).slice(-4000)));

  const { url, token } = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the server printed no URL within ${STARTUP_TIMEOUT_MS / 1000} s`)),
      STARTUP_TIMEOUT_MS,
    );
    child.stdout.on('data', (text) => {
      stdout += text;
      const match = /^\s+(http:\/\/127\.0\.0\.1:\d+)\/\?token=(\S+)$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1], token: match[2] });
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code ?? signal}) at start: ${server.stderr.trim()}`));
    });
  });
  server.url = url;
  server.token = token;
  server.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  const { Client } = await sdk('client/index.js');
  const { StreamableHTTPClientTransport } = await sdk('client/streamableHttp.js');
  const client = new Client({ name: 'gsd-harness-bench', version: '0.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL('/mcp', url), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  server.client = client;
  return server;
}

/** Closes the client, stops the server (SIGTERM, then SIGKILL) and removes its temp dir. */
export async function stopServer(server) {
  live.delete(server);
  try {
    await server.client?.close();
  } catch {
    // The server may be gone already.
  }
  server.agent?.destroy();
  const child = server.child;
  let orphans = false;
  if (child !== null) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      let timer;
      const stopped = await Promise.race([
        server.exited.then(() => true),
        new Promise((resolve) => (timer = setTimeout(() => resolve(false), STOP_TIMEOUT_MS))),
      ]);
      clearTimeout(timer);
      if (!stopped) {
        child.kill('SIGKILL');
        await server.exited;
        orphans = true;
      }
    } else {
      // It died on its own: its sessions (own process groups) were not ended.
      orphans = true;
    }
  }
  if (orphans) {
    for (const pid of server.sessionPids) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
  rmSync(server.dir, { recursive: true, force: true });
}

/** Stops every server still running (on errors and signals). */
export async function stopAllServers() {
  stopping = true;
  await Promise.allSettled([...live].map((server) => stopServer(server)));
}

async function callTool(server, name, args) {
  const result = await server.client.callTool({ name, arguments: args }, undefined, {
    timeout: CALL_TIMEOUT_MS,
  });
  const text = result.content?.find((item) => item.type === 'text')?.text ?? '';
  if (result.isError) throw new Error(`${name}: ${text}`);
  return JSON.parse(text);
}

async function startSession(server, command) {
  const session = await callTool(server, 'gsd_start_session', { workingDir: server.work, command });
  if (session.pid !== null) server.sessionPids.add(session.pid);
  return session;
}

/** Waits with gsd_wait_for_change until every session in `ids` has ended; returns them by id. */
async function waitUntilEnded(server, ids, timeoutMs) {
  const pending = new Set(ids);
  const ended = new Map();
  const deadline = performance.now() + timeoutMs;
  while (pending.size > 0) {
    const left = Math.ceil(deadline - performance.now());
    if (left <= 0) throw new Error(`${pending.size} session(s) still running after ${timeoutMs / 1000} s`);
    const result = await callTool(server, 'gsd_wait_for_change', {
      sessionIds: [...pending],
      timeoutMs: Math.min(30_000, left),
    });
    for (const { session } of result.changes) {
      if (session.status === 'completed' || session.status === 'failed') {
        pending.delete(session.id);
        ended.set(session.id, session);
      } else if (session.status === 'waiting_checkpoint') {
        throw new Error(`session ${session.id} unexpectedly waits for input`);
      }
    }
  }
  return ended;
}

/** GET /health with the token; resolves with the latency and the parsed body. */
function getHealth(server) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const request = http.get(
      `${server.url}/health`,
      { agent: server.agent, headers: { Authorization: `Bearer ${server.token}` }, timeout: 5_000 },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (text) => (body += text));
        response.on('end', () => {
          const ms = performance.now() - start;
          if (response.statusCode !== 200) reject(new Error(`HTTP ${response.statusCode}`));
          else resolve({ ms, body: JSON.parse(body) });
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error('no answer within 5 s')));
    request.on('error', reject);
  });
}

/** GETs /health every `intervalMs` (from one request's start to the next) until stopped. */
function healthLoop(server, intervalMs) {
  const samples = [];
  const errors = [];
  let last = null;
  let running = true;
  const done = (async () => {
    while (running) {
      const start = performance.now();
      try {
        const { ms, body } = await getHealth(server);
        samples.push({ at: start, ms });
        last = body;
      } catch (error) {
        errors.push(error.message);
      }
      const wait = intervalMs - (performance.now() - start);
      if (running && wait > 0) await sleep(wait);
    }
  })();
  return {
    samples,
    errors,
    last: () => last,
    async stop() {
      running = false;
      await done;
    },
  };
}

/** A field of /proc/<pid>/status in bytes (VmRSS, VmHWM), or NaN where there is no /proc. */
function procStatusBytes(pid, field) {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return match ? Number(match[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

function rssSampler(pid, intervalMs) {
  const samples = [];
  const sample = () => {
    const rss = procStatusBytes(pid, 'VmRSS');
    if (Number.isFinite(rss)) samples.push(rss);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    samples,
    stop() {
      clearInterval(timer);
      sample();
    },
  };
}

/**
 * CPU time (user + system) of a process in seconds, from /proc/<pid>/stat, and with `children` that of
 * its ended and reaped children too (the server's sessions); NaN where there is no /proc.
 */
function processCpuSeconds(pid, children = false) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    // Fields 14 to 17 of the file (utime, stime, cutime, cstime), in clock ticks (100 per second on Linux).
    const [utime, stime, cutime, cstime] = fields.slice(11, 15);
    return (utime + stime + (children ? cutime + cstime : 0)) / 100;
  } catch {
    return NaN;
  }
}

const ownCpuSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};

/** Busy and total jiffies of all CPUs, from /proc/stat. */
function machineCpu() {
  try {
    const values = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = values.slice(0, 8).reduce((sum, n) => sum + n, 0);
    return { busy: total - values[3] - values[4], total };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

const median = (values) => percentile(values, 0.5);
const fmtMs = (ms) => (Number.isFinite(ms) ? `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms` : '–');
const fmtMB = (b) => (Number.isFinite(b) ? `${(b / 1e6).toFixed(1)} MB` : '–');
const fmtInt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const mark = (ok) => (ok ? 'PASS' : 'MISS');

async function timedCalls(server, name, args, count) {
  const times = [];
  let last;
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    last = await callTool(server, name, args);
    times.push(performance.now() - start);
  }
  return { times, last };
}

/** gsd_get_output tail of 4 KB on a session with 64 MB of history. */
async function benchTail(server, progress) {
  const expected = expectedBytes('pipe');
  progress(`64 MB session: \`${COMMAND}\` ...`);
  const start = performance.now();
  const session = await startSession(server, COMMAND);
  const ended = (await waitUntilEnded(server, [session.id], 120_000)).get(session.id);
  const recordSeconds = (performance.now() - start) / 1000;
  progress(`  ${ended.status} in ${recordSeconds.toFixed(2)} s, ${fmtInt(ended.outputBytes)} bytes`);

  const args = { sessionId: session.id, tailBytes: P.tailBytes };
  await timedCalls(server, 'gsd_get_output', args, P.tailWarmUpCalls);
  const tail = await timedCalls(server, 'gsd_get_output', args, P.tailCalls);
  const window = tail.last;
  const windowOk =
    window.data.length === P.tailBytes &&
    window.totalBytes === expected &&
    window.fromOffset === expected - P.tailBytes &&
    window.nextOffset === expected;
  // For comparison: a round trip that reads no output.
  const plain = await timedCalls(server, 'gsd_get_session', { sessionId: session.id }, P.tailCalls);
  progress(
    `  gsd_get_output tail ${P.tailBytes} B: median ${fmtMs(median(tail.times))}, ` +
      `p95 ${fmtMs(percentile(tail.times, 0.95))}; gsd_get_session median ${fmtMs(median(plain.times))}`,
  );
  return {
    status: ended.status,
    stored: ended.outputBytes,
    expected,
    recordSeconds,
    times: tail.times,
    windowOk,
    window: { length: window.data.length, ...window, data: undefined },
    plainTimes: plain.times,
  };
}

/** Session exit (its own `date +%s%N` just before it exits) to gsd_wait_for_change returning. */
async function benchWait(server, progress) {
  const runs = [];
  for (let i = 1; i <= P.waitRuns; i++) {
    const file = join(server.work, `exit-${i}.ns`);
    const session = await startSession(
      server,
      `sleep ${P.waitSleepSeconds}; date +%s%N > ${shellQuote(file)}`,
    );
    const result = await callTool(server, 'gsd_wait_for_change', {
      sessionIds: [session.id],
      timeoutMs: 10_000,
    });
    const returnedNs = wallNs();
    const exitNs = BigInt(readFileSync(file, 'utf8').trim());
    const ms = Number(returnedNs - exitNs) / 1e6;
    const change = result.changes.find((c) => c.session.id === session.id);
    const status = result.timedOut ? 'timed out' : (change?.session.status ?? 'no change');
    runs.push({ ms, status });
    progress(`  run ${i}/${P.waitRuns}: ${fmtMs(ms)} (${status})`);
  }
  return { runs, times: runs.map((r) => r.ms), allCompleted: runs.every((r) => r.status === 'completed') };
}

/** 20 sessions printing 1 MB/s for 10 s while /health is polled every 20 ms; the server's RSS. */
async function benchLoad(server, progress) {
  const pid = server.child.pid;
  const idle = [];
  for (let i = 0; i < P.idleHealthRequests; i++) {
    idle.push((await getHealth(server)).ms);
    await sleep(P.healthIntervalMs);
  }
  const expectedPerSession = P.loadBytesPerSecond * P.loadSeconds;
  const generator = loadGenerator();
  const command = `${generator.command} ${P.loadBytesPerSecond} ${P.loadSeconds}`;
  progress(`  /health idle: p50 ${fmtMs(median(idle))}; starting ${P.loadSessions} sessions: ${command}`);

  const rss = rssSampler(pid, P.rssIntervalMs);
  const health = healthLoop(server, P.healthIntervalMs);
  const start = performance.now();
  const cpuBefore = processCpuSeconds(pid);
  const cpuWithSessionsBefore = processCpuSeconds(pid, true);
  const benchCpuBefore = ownCpuSeconds();
  const machineBefore = machineCpu();
  const ticker = setInterval(() => {
    const seconds = ((performance.now() - start) / 1000).toFixed(0);
    const latencies = health.samples.map((x) => x.ms);
    const p99 = percentile(latencies, 0.99);
    progress(
      `  ${seconds} s: ${health.samples.length} /health, p99 so far ${fmtMs(p99)}, ` +
        `RSS ${fmtMB(rss.samples.at(-1))}, active sessions ${health.last()?.activeSessions ?? '?'}`,
    );
  }, 2_000);
  const ids = [];
  let startedAt = NaN;
  try {
    for (let i = 0; i < P.loadSessions; i++) ids.push((await startSession(server, command)).id);
    startedAt = performance.now();
    await waitUntilEnded(server, ids, (P.loadSeconds + 30) * 1000);
  } finally {
    clearInterval(ticker);
    await health.stop();
    rss.stop();
  }
  const wallSeconds = (performance.now() - start) / 1000;
  const serverCpu = (processCpuSeconds(pid) - cpuBefore) / wallSeconds;
  const machineAfter = machineCpu();
  const machineBusy = (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total);
  // The server, its (ended) sessions and this process, as a share of the whole machine.
  const ownShare =
    (processCpuSeconds(pid, true) - cpuWithSessionsBefore + ownCpuSeconds() - benchCpuBefore) /
    (wallSeconds * cpus().length);
  const hwm = procStatusBytes(pid, 'VmHWM');
  const healthMs = health.samples.map((x) => x.ms);
  // Requests sent while sessions were still being started, and after.
  const startingMs = health.samples.filter((x) => x.at < startedAt).map((x) => x.ms);
  const steadyMs = health.samples.filter((x) => x.at >= startedAt).map((x) => x.ms);

  const sessions = [];
  for (const id of ids) {
    const view = await callTool(server, 'gsd_get_session', { sessionId: id });
    const { totalBytes } = await callTool(server, 'gsd_get_output', { sessionId: id, tailBytes: 0 });
    const seconds = (Date.parse(view.endedAt) - Date.parse(view.startedAt)) / 1000;
    sessions.push({ status: view.status, exitCode: view.exitCode, bytes: totalBytes, seconds });
  }
  const completeOk = sessions.filter(
    (s) => s.status === 'completed' && s.exitCode === 0 && s.bytes === expectedPerSession,
  ).length;
  const rates = sessions.map((s) => s.bytes / s.seconds);
  const totalBytes = sessions.reduce((sum, s) => sum + s.bytes, 0);
  progress(
    `  ${completeOk}/${sessions.length} sessions complete with ${fmtInt(expectedPerSession)} bytes; ` +
      `${healthMs.length} /health requests, p99 ${fmtMs(percentile(healthMs, 0.99))}; ` +
      `peak RSS ${fmtMB(Math.max(...rss.samples))}`,
  );
  return {
    idle,
    health: healthMs,
    startingMs,
    steadyMs,
    healthErrors: health.errors,
    serverCpu,
    machineBusy,
    ownShare,
    rssSamples: rss.samples,
    rssPeak: rss.samples.length ? Math.max(...rss.samples) : NaN,
    rssStart: rss.samples[0],
    rssEnd: rss.samples.at(-1),
    hwm,
    sessions,
    completeOk,
    expectedPerSession,
    rates,
    totalBytes,
    wallSeconds,
    startSeconds: (startedAt - start) / 1000,
    generator: generator.label,
  };
}

function table(header, rows) {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

/**
 * Runs the given parts (`tail`, `wait`, `load`) and returns the section's report (markdown lines).
 * A part that fails is reported as an error; the others still run.
 */
export async function runServerBench(parts, progress) {
  const results = {};
  const errors = {};
  const run = async (names, body) => {
    const wanted = names.filter((name) => parts.includes(name));
    if (wanted.length === 0) return;
    let server;
    try {
      progress(`[server] starting \`gsd-harness start\` for ${wanted.join(', ')} ...`);
      server = await startServer();
      progress(`  listening at ${server.url} (pid ${server.child.pid})`);
      for (const name of wanted) {
        try {
          progress(`[server] ${name}`);
          results[name] = await body[name](server, progress);
        } catch (error) {
          errors[name] = error?.message ?? String(error);
          progress(`  error: ${errors[name]}`);
        }
      }
    } catch (error) {
      for (const name of wanted) errors[name] ??= error?.message ?? String(error);
      progress(`  error: ${error?.message ?? error}`);
    } finally {
      if (server !== undefined) await stopServer(server);
    }
  };
  const t0 = performance.now();
  await run(['tail', 'wait'], { tail: benchTail, wait: benchWait });
  // The load gets a fresh server so that its RSS is the load's own.
  await run(['load'], { load: benchLoad });
  progress(`[server] done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  return report(parts, results, errors);
}

function report(parts, results, errors) {
  const { tail, wait, load } = results;
  const out = [];
  out.push('## gsd-harness server benchmark (MCP over HTTP)');
  out.push('');
  out.push(
    `Server: \`gsd-harness start --port 0 --max-sessions ${P.maxSessions}\` as a child process, own home ` +
      'and database in a temp dir; client: the MCP SDK `Client` with `StreamableHTTPClientTransport` ' +
      '(bearer token), in the benchmark process.',
  );
  out.push('');

  const rows = [];
  const errorRow = (name, label) => rows.push([label, 'error', errors[name]]);
  if (parts.includes('tail')) {
    const label = `\`gsd_get_output\` tail ${P.tailBytes / 1024} KB, 64 MB history`;
    if (tail === undefined) errorRow('tail', label);
    else {
      rows.push([
        label,
        `median ${fmtMs(median(tail.times))}, p95 ${fmtMs(percentile(tail.times, 0.95))}, ` +
          `max ${fmtMs(Math.max(...tail.times))}`,
        `${P.tailCalls} calls after ${P.tailWarmUpCalls} warm-up; session ${tail.status}, ` +
          `${fmtInt(tail.stored)} / ${fmtInt(tail.expected)} bytes, recorded in ${tail.recordSeconds.toFixed(2)} s; ` +
          `window ${tail.windowOk ? 'correct' : `WRONG (${JSON.stringify(tail.window)})`}`,
      ]);
      rows.push([
        '`gsd_get_session` (no output read, for comparison)',
        `median ${fmtMs(median(tail.plainTimes))}, p95 ${fmtMs(percentile(tail.plainTimes, 0.95))}`,
        `${P.tailCalls} calls`,
      ]);
    }
  }
  if (parts.includes('wait')) {
    const label = 'Session exit → `gsd_wait_for_change` returns';
    if (wait === undefined) errorRow('wait', label);
    else {
      rows.push([
        label,
        `median ${fmtMs(median(wait.times))}, max ${fmtMs(Math.max(...wait.times))}`,
        `${wait.runs.length} runs: ${wait.times.map((ms) => ms.toFixed(1)).join(', ')} ms` +
          (wait.allCompleted ? '' : `; statuses ${wait.runs.map((r) => r.status).join(', ')}`),
      ]);
    }
  }
  if (parts.includes('load')) {
    const label = `${P.loadSessions} sessions × ${P.loadBytesPerSecond / 1e6} MB/s × ${P.loadSeconds} s`;
    if (load === undefined) errorRow('load', label);
    else {
      rows.push([
        label,
        `${load.completeOk}/${load.sessions.length} completed with all bytes`,
        `${fmtInt(load.totalBytes)} bytes stored in all (${fmtInt(load.expectedPerSession)} expected each); ` +
          `per-session rate ${(Math.min(...load.rates) / 1e6).toFixed(2)}–${(Math.max(...load.rates) / 1e6).toFixed(2)} MB/s ` +
          `(bytes stored / session run time); sessions started within ${load.startSeconds.toFixed(2)} s, ` +
          `all ended after ${load.wallSeconds.toFixed(1)} s`,
      ]);
      rows.push([
        '`GET /health` under that load',
        `p50 ${fmtMs(median(load.health))}, p99 ${fmtMs(percentile(load.health, 0.99))}, ` +
          `max ${fmtMs(Math.max(...load.health))}`,
        `${load.health.length} requests, one every ${P.healthIntervalMs} ms` +
          (load.healthErrors.length ? `; ${load.healthErrors.length} failed (${load.healthErrors[0]})` : '') +
          `. While the ${P.loadSessions} sessions were being started (first ${load.startSeconds.toFixed(2)} s, ` +
          `${load.startingMs.length} requests): p50 ${fmtMs(median(load.startingMs))}, p99 ` +
          `${fmtMs(percentile(load.startingMs, 0.99))}; after (${load.steadyMs.length} requests): p50 ` +
          `${fmtMs(median(load.steadyMs))}, p99 ${fmtMs(percentile(load.steadyMs, 0.99))}, max ` +
          `${fmtMs(Math.max(...load.steadyMs))}. Idle before the load: p50 ${fmtMs(median(load.idle))}, ` +
          `p99 ${fmtMs(percentile(load.idle, 0.99))}`,
      ]);
      rows.push([
        'CPU during that load',
        `server ${(load.serverCpu * 100).toFixed(0)}% of one core; machine ${(load.machineBusy * 100).toFixed(0)}% ` +
          `busy, ${(load.ownShare * 100).toFixed(0)}% from this benchmark`,
        `over the load's ${load.wallSeconds.toFixed(1)} s, on ${cpus().length} CPUs; this benchmark: the server, ` +
          'its sessions and the client process; the rest is other processes and kernel threads (disk writeback)',
      ]);
      rows.push([
        'Server RSS under that load',
        `peak ${fmtMB(load.rssPeak)} (VmHWM ${fmtMB(load.hwm)})`,
        `sampled every ${P.rssIntervalMs} ms (${load.rssSamples.length} samples): ${fmtMB(load.rssStart)} before the ` +
          `sessions started, ${fmtMB(load.rssEnd)} after they ended; VmHWM: the process's high-water mark`,
      ]);
    }
  }
  out.push(table(['Measurement', 'Result', 'Details'], rows));
  out.push('');

  const targets = [];
  const target = (name, label, value, ok) =>
    targets.push([label, results[name] === undefined ? 'error — MISS' : `${value} — ${mark(ok)}`]);
  if (parts.includes('tail')) {
    const p95 = tail && percentile(tail.times, 0.95);
    target(
      'tail',
      `\`gsd_get_output\` tail ${P.tailBytes / 1024} KB on 64 MB < ${TARGETS.tailMs} ms (p95, window correct)`,
      fmtMs(p95),
      tail && p95 < TARGETS.tailMs && tail.windowOk && tail.stored === tail.expected,
    );
  }
  if (parts.includes('wait')) {
    const worst = wait && Math.max(...wait.times);
    target(
      'wait',
      `Exit → \`gsd_wait_for_change\` < ${TARGETS.exitToWaitMs} ms (every run)`,
      fmtMs(worst),
      wait && worst < TARGETS.exitToWaitMs && wait.allCompleted,
    );
  }
  if (parts.includes('load')) {
    const p99 = load && percentile(load.health, 0.99);
    target(
      'load',
      `\`/health\` p99 < ${TARGETS.healthP99Ms} ms under load (no failed request)`,
      fmtMs(p99),
      load && p99 < TARGETS.healthP99Ms && load.healthErrors.length === 0,
    );
    const peak = load && Math.max(load.rssPeak, Number.isFinite(load.hwm) ? load.hwm : 0);
    target(
      'load',
      `Server peak RSS < ${TARGETS.serverRssBytes / 1e6} MB under load (VmHWM)`,
      fmtMB(peak),
      load && peak < TARGETS.serverRssBytes,
    );
    target(
      'load',
      `All ${P.loadSessions} sessions completed with every byte stored`,
      load && `${load.completeOk}/${P.loadSessions}`,
      load && load.completeOk === P.loadSessions,
    );
  }
  out.push(table(['Target', 'Result'], targets));
  out.push('');
  out.push(
    'Times are measured in the client around `callTool()` (request, SSE response, JSON parse). Exit → wait: the ' +
      `session runs \`sleep ${P.waitSleepSeconds}; date +%s%N > file\`; \`gsd_wait_for_change\` is called right ` +
      'after `gsd_start_session` returns, and the latency is the wall clock when it returns minus the time in the ' +
      `file. Load: each session runs ${load?.generator ?? 'bench/emit.pl'} (${fmtInt(P.loadBytesPerSecond / 100)} ` +
      "bytes every 10 ms against the wall clock, on pipes); run time from the session's start to its end as " +
      'the server records them. `/health` is requested with the token on a keep-alive connection, the next request ' +
      `${P.healthIntervalMs} ms after the previous one started. RSS: the server process only (sessions are ` +
      'separate processes), from /proc/<pid>/status; the bound of ' +
      `${TARGETS.serverRssBytes / 1e6} MB is this benchmark's choice (about three times the idle server). ` +
      'p95/p99: nearest rank. MB = 10^6 bytes.',
  );
  const notes = Object.entries(errors).map(([name, message]) => `- ${name}: ${message}`);
  if (notes.length) out.push('', ...notes);
  return out;
}
