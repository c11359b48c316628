// Durable sessions benchmark (node bench/run.mjs --only=durable):
//
// 1. The 64 MB PTY flood (COMMAND, as the output section) through PersistentSessionManager in-process
//    (`durable: false`) and through a session host (`durable: true`), alternating on one manager;
//    time from `spawn()` to the first output and to `waitForEnd()`, and the bytes stored as a freshly
//    opened connection sees them.
// 2. 100 idle durable sessions (`exec cat` on a PTY): the manager is closed (the hosts keep them
//    running), then a new manager with `reattach: true` is timed from construction until `ready`.
// 3. The memory of each of those idle host processes (pid from the owners table), before they are
//    ended: VmRSS, and from smaps_rollup the proportional (Pss) and private share; MemAvailable before
//    and after starting them; and for comparison the VmRSS of an idle bare `node` and of one that has
//    only loaded the host's native modules and Node's net and crypto.
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { COMMAND, PTY_COLS, PTY_ROWS, expectedBytes } from './config.mjs';

const sessionManagerEntry = new URL('../packages/session-manager/dist/index.js', import.meta.url);
const sessionManagerDir = new URL('../packages/session-manager/', import.meta.url);

/** Node flags the host runs with (spawn-host.ts). */
const HOST_FLAGS = ['--max-semi-space-size=1'];
/** What an idle process that has only loaded what every host needs looks like. */
const FLOOR_SCRIPT = [
  "require('net');",
  "require('crypto').createHmac('sha256', 'k').update('x').digest();",
  "require('node-pty');",
  "const Database = require('better-sqlite3');",
  "new Database(':memory:').prepare('select 1').get();",
].join(' ');

export const DURABLE_BENCH = {
  idleSessions: Number(process.env.BENCH_DURABLE_SESSIONS ?? 100),
  idleCommand: 'exec cat',
};

export const DURABLE_TARGETS = {
  durableVsInProcess: 1.2,
  reattachMs: 1000,
  hostRssBytes: 50e6,
};

/** Sessions that may still be running under a host, ended by stopDurableBench on an interrupt. */
let live = { dbPath: null, ids: new Set() };
let root = null;

async function endThroughHosts(lib, dbPath, ids) {
  if (ids.size === 0) return 0;
  const connection = new lib.DatabaseConnection(dbPath);
  const store = new lib.SessionStore(connection);
  let ended = 0;
  try {
    await Promise.all(
      [...ids].map(async (id) => {
        const address = store.hostAddress(id);
        if (address === undefined) return;
        const exit = await lib.terminateThroughHost(address, id).catch(() => null);
        if (exit !== null) ended++;
        ids.delete(id);
      }),
    );
  } finally {
    connection.close();
  }
  return ended;
}

export async function stopDurableBench() {
  if (live.dbPath !== null && live.ids.size > 0) {
    const lib = await import(sessionManagerEntry.href);
    await endThroughHosts(lib, live.dbPath, live.ids);
  }
  if (root !== null) rmSync(root, { recursive: true, force: true });
  root = null;
}

function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const fmtInt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const fmtS = (s) => (Number.isFinite(s) ? `${s.toFixed(2)} s` : '–');
const fmtMs = (ms) => (Number.isFinite(ms) ? `${ms.toFixed(1)} ms` : '–');
const fmtMB = (b) => (Number.isFinite(b) ? `${(b / 1e6).toFixed(1)} MB` : '–');
const fmtX = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : '–');
const mark = (ok) => (ok ? 'PASS' : 'MISS');

function table(header, rows) {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

function vmRss(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** From smaps_rollup of a process, in bytes: Pss, and private memory (clean + dirty). */
function smapsRollup(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
    return { pss: field('Pss'), private: field('Private_Clean') + field('Private_Dirty') };
  } catch {
    return { pss: NaN, private: NaN };
  }
}

function memAvailable() {
  const m = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** VmRSS of `node <flags> -e <script>` once it has run `script` and then idled for a second. */
function idleNodeRss(script) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...HOST_FLAGS, '-e', `${script}; setInterval(() => {}, 1000);`], {
      cwd: sessionManagerDir,
      stdio: 'ignore',
    });
    const timer = setTimeout(() => {
      const rss = vmRss(child.pid);
      child.kill('SIGKILL');
      resolve(rss);
    }, 1500);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(NaN);
    });
  });
}

/**
 * One flood run on `manager` (one manager for every run, as a harness server is: after a durable
 * session starts it keeps a host started ahead of time for the next one). Returns seconds from
 * `spawn()` to the end, to the first output, and the bytes a fresh connection reads back.
 */
async function floodRun(lib, manager, dbPath, workDir, durable) {
  let firstOutputAt = null;
  const onOutput = () => {
    firstOutputAt ??= performance.now();
  };
  manager.on('session:output', onOutput);
  const t0 = performance.now();
  let session;
  let end;
  try {
    session = await manager.spawn(workDir, COMMAND, { pty: true, cols: PTY_COLS, rows: PTY_ROWS, durable });
    if (durable) live.ids.add(session.id);
    end = await manager.waitForEnd(session.id);
  } finally {
    manager.off('session:output', onOutput);
  }
  const seconds = (performance.now() - t0) / 1000;
  live.ids.delete(session.id);
  const connection = new lib.DatabaseConnection(dbPath);
  const bytes = new lib.OutputStore(connection).totalBytes(session.id);
  connection.close();
  const firstOutput = firstOutputAt === null ? NaN : (firstOutputAt - t0) / 1000;
  return { seconds, firstOutput, bytes, status: end.status };
}

export async function runDurableBench({ runs, log }) {
  const lib = await import(sessionManagerEntry.href);
  // Short path: host sockets live under hostDir and sun_path is limited to 107 bytes.
  root = mkdtempSync(join(tmpdir(), 'gsd-d-'));
  const expected = expectedBytes('pty');

  // 1. Flood, alternating in-process and durable, on one manager and database.
  const flood = { false: [], true: [] };
  const floodDir = join(root, 'flood');
  mkdirSync(floodDir);
  const floodDb = join(floodDir, 'sessions.db');
  live = { dbPath: floodDb, ids: new Set() };
  const floodManager = new lib.PersistentSessionManager({ dbPath: floodDb, hostDir: join(floodDir, 'h') });
  await floodManager.ready;
  try {
    for (let run = 1; run <= runs; run++) {
      for (const durable of [false, true]) {
        const label = durable ? 'durable (host)' : 'in-process';
        const result = await floodRun(lib, floodManager, floodDb, floodDir, durable);
        flood[durable].push(result);
        log(
          `[flood ${run}/${runs}] ${label}: ${fmtS(result.seconds)} (first output after ${fmtMs(result.firstOutput * 1000)}), ` +
            `${fmtInt(result.bytes)} / ${fmtInt(expected)} bytes, ${result.status}`,
        );
      }
    }
  } finally {
    await floodManager.close();
  }

  // 2 and 3. Idle durable sessions, re-attach after a restart, host RSS.
  const n = DURABLE_BENCH.idleSessions;
  const dbPath = join(root, 'idle.db');
  const hostDir = join(root, 'h');
  const workDir = join(root, 'w');
  mkdirSync(workDir);
  live = { dbPath, ids: new Set() };
  const bareRss = await idleNodeRss('');
  const floorRss = await idleNodeRss(FLOOR_SCRIPT);
  log(
    `[idle] idle bare node: ${fmtMB(bareRss)} VmRSS; with the host's native modules, net and crypto: ${fmtMB(floorRss)}`,
  );
  const first = new lib.PersistentSessionManager({ dbPath, hostDir, durableByDefault: true, maxSessions: n });
  await first.ready;
  const availableBefore = memAvailable();
  const t0 = performance.now();
  const sessions = [];
  for (let i = 0; i < n; i++) {
    const session = await first.spawn(workDir, DURABLE_BENCH.idleCommand, { pty: true });
    sessions.push(session);
    live.ids.add(session.id);
    if ((i + 1) % 10 === 0 || i + 1 === n) {
      log(
        `[idle] started ${i + 1}/${n} durable sessions (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
      );
    }
  }
  const startSeconds = (performance.now() - t0) / 1000;
  // Let the last hosts settle before MemAvailable is read again.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const availableDropPerHost = (availableBefore - memAvailable()) / n;
  await first.close();
  log('[idle] manager closed; re-attaching');

  const r0 = performance.now();
  const second = new lib.PersistentSessionManager({ dbPath, hostDir, reattach: true, maxSessions: n });
  const recovery = await second.ready;
  const reattachMs = performance.now() - r0;
  const reattached = recovery?.reattached ?? [];
  const wanted = new Set(sessions.map((s) => s.id));
  const reattachedOurs = reattached.filter((id) => wanted.has(id)).length;
  const notReattached = recovery?.notReattached ?? [];
  log(`[idle] re-attached ${reattachedOurs}/${n} in ${fmtMs(reattachMs)}`);

  // Host RSS, idle, while re-attached.
  const owners = new lib.OwnerStore(new lib.DatabaseConnection(dbPath));
  const rss = [];
  const pss = [];
  const privateBytes = [];
  const missingPid = [];
  const pids = new Set();
  for (const s of sessions) {
    const ownerId = second.sessionStore.get(s.id)?.ownerId ?? s.ownerId;
    const pid = owners.get(ownerId)?.pid;
    // Not this process: the host's pid, never the manager's.
    const value = pid === undefined || pid === process.pid ? NaN : vmRss(pid);
    if (!Number.isFinite(value)) {
      missingPid.push(s.id);
      continue;
    }
    rss.push(value);
    const rollup = smapsRollup(pid);
    pss.push(rollup.pss);
    privateBytes.push(rollup.private);
    pids.add(pid);
    if (rss.length === 1) {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      log(`[idle] host pid ${pid} (bench pid ${process.pid}): ${cmd.slice(0, 160)}`);
    }
  }
  owners.connection.close();
  rss.sort((a, b) => a - b);
  log(
    `[idle] ${rss.length} hosts (${pids.size} distinct pids): median VmRSS ${fmtMB(median(rss))}, ` +
      `Pss ${fmtMB(median(pss))}, private ${fmtMB(median(privateBytes))}; MemAvailable fell ${fmtMB(availableDropPerHost)} per host`,
  );

  // End them all.
  const e0 = performance.now();
  let endedByManager = 0;
  await Promise.all(
    [...live.ids].map(async (id) => {
      if (second.getSession(id) === undefined) return;
      try {
        await second.terminate(id);
        await second.waitForEnd(id);
        live.ids.delete(id);
        endedByManager++;
      } catch {
        // left for terminateThroughHost below
      }
    }),
  );
  const endedByHost = await endThroughHosts(lib, dbPath, live.ids);
  await second.close();
  const check = new lib.DatabaseConnection(dbPath);
  const checkStore = new lib.SessionStore(check);
  const stillRunning = sessions.filter((s) => {
    const status = checkStore.get(s.id)?.status;
    return status === 'idle' || status === 'running' || status === 'waiting_checkpoint';
  }).length;
  check.close();
  log(
    `[idle] ended ${endedByManager} through the manager, ${endedByHost} through their hosts in ` +
      `${fmtS((performance.now() - e0) / 1000)}; still running: ${stillRunning}`,
  );
  rmSync(root, { recursive: true, force: true });
  root = null;

  // Report.
  const sum = (durable) => {
    const rs = flood[durable];
    const time = median(rs.map((r) => r.seconds));
    return {
      label: durable ? 'durable: true (session host)' : 'durable: false (in-process)',
      time,
      times: rs.map((r) => r.seconds.toFixed(2)).join(', '),
      firstOutput: median(rs.map((r) => r.firstOutput)),
      firstOutputs: rs.map((r) => (r.firstOutput * 1000).toFixed(0)).join(', '),
      mbps: expected / 1e6 / time,
      storedMin: Math.min(...rs.map((r) => r.bytes)),
      storedMax: Math.max(...rs.map((r) => r.bytes)),
      allOk: rs.every((r) => r.bytes === expected && r.status === 'completed'),
      statuses: [...new Set(rs.map((r) => r.status))].join(', '),
    };
  };
  const inproc = sum(false);
  const durable = sum(true);
  const ratio = durable.time / inproc.time;
  const stored = (s) =>
    `${s.storedMin === s.storedMax ? fmtInt(s.storedMin) : `${fmtInt(s.storedMin)}–${fmtInt(s.storedMax)}`} / ${fmtInt(expected)}`;

  const out = [];
  out.push('## Durable sessions benchmark');
  out.push('');
  out.push(
    `Flood: \`${COMMAND}\` on a PTY (${fmtInt(expected)} bytes), ${runs} run${runs === 1 ? '' : 's'} per setting, alternating. ` +
      `Idle: ${n} durable sessions running \`${DURABLE_BENCH.idleCommand}\` on a PTY.`,
  );
  out.push('');
  out.push(
    table(
      [
        'Flood',
        'Time (median)',
        'Runs (s)',
        'First output (median; runs, ms)',
        'MB/s',
        'vs in-process',
        'Bytes stored / expected',
        'Status',
        'Ok',
      ],
      [inproc, durable].map((s) => [
        s.label,
        fmtS(s.time),
        s.times,
        `${fmtMs(s.firstOutput * 1000)}; ${s.firstOutputs}`,
        s.mbps.toFixed(1),
        s === inproc ? '1.00x' : fmtX(ratio),
        stored(s),
        s.statuses,
        s.allOk ? 'yes' : 'no',
      ]),
    ),
  );
  out.push('');
  out.push(
    table(
      ['Measurement', 'Result'],
      [
        [
          `Start ${n} durable sessions`,
          `${fmtS(startSeconds)} (${fmtMs((startSeconds * 1000) / n)} each, one after another)`,
        ],
        [
          'Restart → all re-attached (construction to `ready`)',
          `${reattachedOurs}/${n} in ${fmtMs(reattachMs)}${notReattached.length ? ` (${notReattached.length} not re-attached)` : ''}`,
        ],
        [
          'Idle host VmRSS (min / median / max)',
          `${fmtMB(rss[0])} / ${fmtMB(median(rss))} / ${fmtMB(rss[rss.length - 1])} (${rss.length} hosts${missingPid.length ? `, ${missingPid.length} not found` : ''})`,
        ],
        ['Idle host Pss / private memory (median)', `${fmtMB(median(pss))} / ${fmtMB(median(privateBytes))}`],
        [`MemAvailable drop while starting ${n} hosts, per host`, fmtMB(availableDropPerHost)],
        [
          'Idle `node` VmRSS: bare / with better-sqlite3, node-pty, net, crypto loaded',
          `${fmtMB(bareRss)} / ${fmtMB(floorRss)}`,
        ],
        [
          'Ended afterwards',
          `${endedByManager} through the manager, ${endedByHost} through their hosts; still running: ${stillRunning}`,
        ],
      ],
    ),
  );
  out.push('');
  const maxRss = rss[rss.length - 1];
  out.push(
    table(
      ['Target', 'Result'],
      [
        [
          `Durable flood within ${DURABLE_TARGETS.durableVsInProcess}x in-process (median)`,
          `${fmtX(ratio)} — ${mark(ratio <= DURABLE_TARGETS.durableVsInProcess)}`,
        ],
        ['Bytes stored = expected in every flood run, both settings', mark(inproc.allOk && durable.allOk)],
        [
          `All ${n} re-attached in < ${DURABLE_TARGETS.reattachMs} ms`,
          `${reattachedOurs}/${n}, ${fmtMs(reattachMs)} — ${mark(reattachedOurs === n && reattachMs < DURABLE_TARGETS.reattachMs)}`,
        ],
        [
          `Idle host VmRSS < ${DURABLE_TARGETS.hostRssBytes / 1e6} MB (max)`,
          `${fmtMB(maxRss)} — ${mark(rss.length === n && maxRss < DURABLE_TARGETS.hostRssBytes)}`,
        ],
      ],
    ),
  );
  out.push('');
  out.push(
    'Flood times: from `spawn()` to `waitForEnd()` resolving, in this process; every run on one manager and database, ' +
      'as a server runs them (after its first durable session it keeps a host started ahead of time, so only the first ' +
      'durable run waits for Node to start: see its first output); bytes ' +
      'stored: `OutputStore.totalBytes` on a freshly opened connection. Re-attach: `new PersistentSessionManager({ reattach: true })` ' +
      'until `await manager.ready`, after `close()` of the manager that started them. VmRSS: /proc/<pid>/status of each ' +
      'host process (pid from the owners table), idle, after the re-attach; VmRSS counts in full the pages of the ' +
      '`node` executable, which every host shares, while Pss splits them among the processes mapping them and private ' +
      'memory is what one host alone holds. MB = 10^6 bytes.',
  );
  return out;
}
