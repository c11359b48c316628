// Benchmarks, in five sections:
//
// 1. Output: a session that prints ~64 MB, recorded by the harness on pipes and on a PTY, against the
//    same command redirected to a file and against raw node-pty. Each measurement runs in its own
//    process (bench/scenario.mjs) so that its peak RSS is its own.
// 2. Server: `gsd-harness start` as a child process driven through the MCP SDK client over HTTP
//    (bench/server.mjs): output tail on 64 MB, exit-to-wait latency, and 20 sessions at 1 MB/s each
//    while /health is polled.
// 3. State: `readPlanningState` on the largest project of the GSD corpus (bench/state.mjs).
// 4. Checkpoint (bench/checkpoint.mjs): the 64 MB PTY ingest with and without the screen mirror and
//    checkpoint detector (bench/scenario.mjs --detect-checkpoints=off|on, alternating), and the latency
//    from a checkpoint presentation going quiet to `session:waiting`.
// 5. Dashboard (bench/dashboard.mjs): print-to-page latency and the tab's JS heap while it follows a
//    ~54 MB session, in Debian's headless Chromium.
// 6. Durable (bench/durable.mjs): the 64 MB PTY flood in-process vs through a session host, restart to
//    all of 100 idle durable sessions re-attached, and each idle host's VmRSS.
//
//   pnpm bench                            (builds first; runs everything)
//   node bench/run.mjs --runs 5           (or BENCH_RUNS=5; runs of each output scenario and of each
//                                          checkpoint ingest setting)
//   node bench/run.mjs --only=output      (or --only=server, --only=state, --only=checkpoint, --only=dashboard, --only=durable, or parts:
//                                          --only=tail,wait,load)
//   BENCH_EMITTER=node node bench/run.mjs --only=load   (load sessions run bench/emit.mjs, not emit.pl)
//
// The tables go to stdout, progress to stderr.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, platform, arch, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMAND, TAIL_BYTES, TAIL_READS, expectedBytes } from './config.mjs';
import { SERVER_PARTS, runServerBench, stopAllServers } from './server.mjs';
import { runStateBench } from './state.mjs';
import { runCheckpointBench, stopCheckpointBench } from './checkpoint.mjs';
import { runDashboardBench } from './dashboard.mjs';
import { runDurableBench, stopDurableBench } from './durable.mjs';

const SCENARIO = fileURLToPath(new URL('./scenario.mjs', import.meta.url));
const SCENARIO_TIMEOUT_MS = 120_000;

const TARGETS = {
  ptyVsRaw: 1.3,
  rssBytes: 150e6,
  tailMs: 10,
  fullReadSeconds: 1,
};

/** What is run each round, in this order. */
const PLAN = [
  { kind: 'file', mode: 'pipe', label: 'file redirect' },
  { kind: 'harness', mode: 'pipe', label: 'harness (pipe)' },
  { kind: 'raw-pty', mode: 'pty', label: 'raw node-pty' },
  { kind: 'harness', mode: 'pty', label: 'harness (PTY)' },
];

const SECTIONS = ['output', ...SERVER_PARTS, 'state', 'checkpoint', 'dashboard', 'durable'];
const USAGE =
  'usage: node bench/run.mjs [--runs N] [--only SECTIONS]\n' +
  '  --runs N       runs of each output scenario, checkpoint ingest setting and durable flood setting (or BENCH_RUNS=N; default 3)\n' +
  `  --only LIST    comma-separated: output, server or mcp (= ${SERVER_PARTS.join(', ')}), ${SERVER_PARTS.join(', ')}, state, checkpoint, dashboard, or durable; ` +
  'default: everything\n';

function usageError(message) {
  process.stderr.write(`${message}\n${USAGE}`);
  process.exit(2);
}

function parseArgs(argv) {
  let runs = process.env.BENCH_RUNS;
  let only;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--runs') runs = argv[++i];
    else if (arg.startsWith('--runs=')) runs = arg.slice('--runs='.length);
    else if (arg === '--only') only = argv[++i];
    else if (arg.startsWith('--only=')) only = arg.slice('--only='.length);
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else usageError(`unknown argument: ${arg}`);
  }
  let sections = SECTIONS;
  if (only !== undefined) {
    const names = only.split(/[,|]/).filter(Boolean);
    if (names.length === 0) usageError('--only needs a list of sections');
    sections = [];
    for (const name of names) {
      if (name === 'server' || name === 'mcp') sections.push(...SERVER_PARTS);
      else if (SECTIONS.includes(name)) sections.push(name);
      else usageError(`unknown section: ${name}`);
    }
  }
  if (runs === undefined || runs === '') runs = 3;
  const n = Number(runs);
  if (!Number.isInteger(n) || n < 1) {
    usageError(`--runs / BENCH_RUNS must be a positive integer, got ${JSON.stringify(runs)}`);
  }
  return { runs: n, sections: SECTIONS.filter((name) => sections.includes(name)) };
}

let current = null;
let workRoot = null;

function cleanUp() {
  if (current !== null) current.kill('SIGKILL');
  if (workRoot !== null) rmSync(workRoot, { recursive: true, force: true });
  workRoot = null;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    cleanUp();
    Promise.allSettled([stopAllServers(), stopCheckpointBench(), stopDurableBench()]).finally(() =>
      process.exit(130),
    );
  });
}

function runScenario(kind, mode, dir, options = []) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SCENARIO, kind, mode, dir, ...options], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    current = child;
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text) => (stderr += text));
    const timer = setTimeout(() => {
      stderr += `timed out after ${SCENARIO_TIMEOUT_MS / 1000} s\n`;
      child.kill('SIGKILL');
    }, SCENARIO_TIMEOUT_MS);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      current = null;
      rmSync(dir, { recursive: true, force: true });
      const line = stdout.trim().split('\n').pop();
      if (code === 0 && line) {
        try {
          resolve(JSON.parse(line));
          return;
        } catch {
          // reported below
        }
      }
      const reason = stderr.trim().split('\n').slice(-3).join(' | ') || `exit ${code ?? signal}`;
      resolve({ kind, mode, error: reason });
    });
  });
}

function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const max = (values) => (values.length === 0 ? NaN : Math.max(...values));
const fmtInt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const fmtS = (s) => (Number.isFinite(s) ? `${s.toFixed(2)} s` : '–');
const fmtMs = (ms) => (Number.isFinite(ms) ? `${ms < 1 ? ms.toFixed(3) : ms.toFixed(1)} ms` : '–');
const fmtMB = (b) => (Number.isFinite(b) ? `${(b / 1e6).toFixed(1)} MB` : '–');
const fmtX = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : '–');
const mark = (ok) => (ok ? 'PASS' : 'MISS');

/** Aggregates the runs of one scenario. */
function summarize(step, results) {
  const expected = expectedBytes(step.mode);
  const ok = results.filter((r) => r.error === undefined);
  const errors = results.filter((r) => r.error !== undefined).map((r) => r.error);
  const lost = ok.map((r) => expected - r.bytes);
  return {
    ...step,
    expected,
    runs: results.length,
    okRuns: ok.length,
    errors,
    times: ok.map((r) => r.seconds),
    time: median(ok.map((r) => r.seconds)),
    storedMin: ok.length ? Math.min(...ok.map((r) => r.bytes)) : NaN,
    storedMax: max(ok.map((r) => r.bytes)),
    worstLost: max(lost.map((n) => Math.max(0, n))),
    worstExtra: max(lost.map((n) => Math.max(0, -n))),
    rows: ok.map((r) => r.rows).filter((n) => n !== undefined),
    rss: max(ok.map((r) => r.rssPeak)),
    tailMs: max(ok.map((r) => r.tailMs).filter((n) => n !== undefined)),
    fullRead: max(ok.map((r) => r.streamSeconds).filter((n) => n !== undefined)),
    streamOk: ok.every((r) => r.streamOk !== false),
    tailOk: ok.every((r) => r.tailOk !== false),
    contentOk: ok.every((r) => r.content === undefined || r.content.ok),
    contentProblems: ok.map((r) => r.content?.firstProblem).filter(Boolean),
    statuses: [...new Set(ok.map((r) => r.failureReason ?? r.status))],
    storageErrors: ok.flatMap((r) => r.storageErrors ?? []),
  };
}

function lostCell(s) {
  if (s.okRuns === 0) return 'error';
  let text = fmtInt(s.worstLost);
  if (s.worstExtra > 0) text += ` (+${fmtInt(s.worstExtra)} extra)`;
  return text;
}

function storedCell(s) {
  if (s.okRuns === 0) return 'error';
  const range =
    s.storedMin === s.storedMax ? fmtInt(s.storedMin) : `${fmtInt(s.storedMin)}–${fmtInt(s.storedMax)}`;
  return `${range} / ${fmtInt(s.expected)}`;
}

function rowsCell(s) {
  if (s.rows.length === 0) return '–';
  const lo = Math.min(...s.rows);
  const hi = Math.max(...s.rows);
  return lo === hi ? fmtInt(lo) : `${fmtInt(lo)}–${fmtInt(hi)}`;
}

function table(header, rows) {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

/** Runs the output scenarios and returns the section's report (markdown lines). */
async function outputSection(runs) {
  const cpuList = cpus();
  const started = new Date();
  workRoot = mkdtempSync(join(tmpdir(), 'gsd-bench-'));

  const results = PLAN.map(() => []);
  const t0 = Date.now();
  for (let run = 1; run <= runs; run++) {
    for (const [i, step] of PLAN.entries()) {
      process.stderr.write(`[run ${run}/${runs}] ${step.label} ... `);
      const result = await runScenario(
        step.kind,
        step.mode,
        join(workRoot, `${run}-${step.kind}-${step.mode}`),
      );
      results[i].push(result);
      if (result.error !== undefined) process.stderr.write(`error: ${result.error}\n`);
      else {
        const lost = expectedBytes(step.mode) - result.bytes;
        process.stderr.write(
          `${fmtS(result.seconds)}, ${fmtInt(result.bytes)} bytes (lost ${fmtInt(lost)}), ` +
            `peak RSS ${fmtMB(result.rssPeak)}\n`,
        );
      }
    }
  }
  process.stderr.write(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n\n`);
  cleanUp();

  const [file, pipe, raw, ptyH] = PLAN.map((step, i) => summarize(step, results[i]));
  const vsFile = (s) => s.time / file.time;

  const out = [];
  out.push('## gsd-harness output benchmark');
  out.push('');
  out.push(
    `node ${process.version} · ${cpuList.length} CPUs (${cpuList[0]?.model?.trim() ?? 'unknown'}) · ` +
      `${platform()} ${arch()} · ${started.toISOString()} · ${runs} run${runs === 1 ? '' : 's'} per scenario`,
  );
  out.push('');
  out.push(
    `Command: \`${COMMAND}\` (${fmtInt(file.expected)} bytes on pipes, ${fmtInt(ptyH.expected)} on a PTY)`,
  );
  out.push('');

  const resultRows = [file, pipe, raw, ptyH].map((s) => {
    const isHarness = s.kind === 'harness';
    return [
      s.mode === 'pty' ? 'PTY' : 'pipe',
      s.label,
      s.okRuns ? fmtS(s.time) : 'error',
      s.times.map((t) => t.toFixed(2)).join(', ') || '–',
      s === file ? '1.00x' : fmtX(vsFile(s)),
      s === ptyH ? fmtX(ptyH.time / raw.time) : '–',
      storedCell(s),
      lostCell(s),
      isHarness ? rowsCell(s) : '–',
      fmtMB(s.rss),
      isHarness ? fmtMs(s.tailMs) : '–',
      isHarness ? fmtS(s.fullRead) : '–',
      isHarness ? (s.okRuns && s.contentOk && s.streamOk && s.tailOk ? 'yes' : 'no') : '–',
    ];
  });
  out.push(
    table(
      [
        'Mode',
        'Scenario',
        'Time (median)',
        'Runs (s)',
        'vs file',
        'vs raw PTY',
        'Bytes stored / expected',
        'Bytes lost (worst)',
        'DB rows',
        'Peak RSS (max)',
        `Tail ${TAIL_BYTES / 1024} KB (median)`,
        'Full read (max)',
        'Content ok',
      ],
      resultRows,
    ),
  );
  out.push('');

  const lostTarget = (s) => {
    if (s.okRuns !== s.runs) return `${s.runs - s.okRuns} run(s) failed — MISS`;
    const ok = s.worstLost === 0 && s.worstExtra === 0;
    return `${lostCell(s)} — ${mark(ok)}`;
  };
  const valueTarget = (value, fmt, ok) =>
    Number.isFinite(value) ? `${fmt(value)} — ${mark(ok)}` : 'error — MISS';
  const ptyRatio = ptyH.time / raw.time;
  out.push(
    table(
      ['Target', 'pipe', 'PTY'],
      [
        ['0 bytes lost in every run', lostTarget(pipe), lostTarget(ptyH)],
        [
          `PTY harness within ${TARGETS.ptyVsRaw}x raw node-pty`,
          'n/a',
          valueTarget(ptyRatio, fmtX, ptyRatio <= TARGETS.ptyVsRaw),
        ],
        [
          `Peak RSS < ${TARGETS.rssBytes / 1e6} MB`,
          valueTarget(pipe.rss, fmtMB, pipe.rss < TARGETS.rssBytes),
          valueTarget(ptyH.rss, fmtMB, ptyH.rss < TARGETS.rssBytes),
        ],
        [
          `Tail ${TAIL_BYTES / 1024} KB < ${TARGETS.tailMs} ms`,
          valueTarget(pipe.tailMs, fmtMs, pipe.tailMs < TARGETS.tailMs),
          valueTarget(ptyH.tailMs, fmtMs, ptyH.tailMs < TARGETS.tailMs),
        ],
        [
          `Full read < ${TARGETS.fullReadSeconds} s`,
          valueTarget(pipe.fullRead, fmtS, pipe.fullRead < TARGETS.fullReadSeconds),
          valueTarget(ptyH.fullRead, fmtS, ptyH.fullRead < TARGETS.fullReadSeconds),
        ],
      ],
    ),
  );
  out.push('');
  out.push(
    `Times: harness from \`spawn()\` to \`session:completed\`/\`session:failed\` (all bytes committed); ` +
      'file redirect and raw node-pty from spawn to exit. Raw node-pty keeps no database. ' +
      `Peak RSS: whole scenario process (sampled every 20 ms and \`maxRSS\`), worst run; harness includes the reads. ` +
      `Tail: median of ${TAIL_READS} \`tail()\` reads, worst run; full read: \`stream()\` of the whole output, worst run; ` +
      'both on a freshly opened database. MB = 10^6 bytes.',
  );

  const notes = [];
  for (const s of [file, pipe, raw, ptyH]) {
    for (const error of s.errors) notes.push(`${s.label}: run failed: ${error}`);
    if (s.kind === 'harness') {
      const bad = s.statuses.filter((x) => x !== 'completed');
      if (bad.length) notes.push(`${s.label}: session status ${bad.join(', ')}`);
      if (s.storageErrors.length)
        notes.push(`${s.label}: storage errors: ${s.storageErrors.slice(0, 3).join('; ')}`);
      if (!s.streamOk) notes.push(`${s.label}: stream() returned a different byte count than stored`);
      if (!s.tailOk) notes.push(`${s.label}: tail() did not return the last ${TAIL_BYTES} bytes`);
      if (s.contentProblems.length) notes.push(`${s.label}: content: ${s.contentProblems[0]}`);
    }
  }
  if (notes.length) {
    out.push('');
    for (const note of notes) out.push(`- ${note}`);
  }
  return out;
}

async function main() {
  const { runs, sections } = parseArgs(process.argv.slice(2));
  let printed = false;
  if (sections.includes('output')) {
    process.stdout.write(`${(await outputSection(runs)).join('\n')}\n`);
    printed = true;
  }
  const serverParts = SERVER_PARTS.filter((name) => sections.includes(name));
  if (serverParts.length > 0) {
    const cpuList = cpus();
    const lines = await runServerBench(serverParts, (text) => process.stderr.write(`${text}\n`));
    if (!sections.includes('output')) {
      lines.splice(
        2,
        0,
        `node ${process.version} · ${cpuList.length} CPUs (${cpuList[0]?.model?.trim() ?? 'unknown'}) · ` +
          `${platform()} ${arch()} · ${new Date().toISOString()}`,
        '',
      );
    }
    process.stdout.write(`${printed ? '\n' : ''}${lines.join('\n')}\n`);
    printed = true;
  }
  if (sections.includes('state')) {
    const lines = await runStateBench((text) => process.stderr.write(`${text}\n`));
    process.stdout.write(`${printed ? '\n' : ''}${lines.join('\n')}\n`);
    printed = true;
  }
  if (sections.includes('checkpoint')) {
    workRoot = mkdtempSync(join(tmpdir(), 'gsd-bench-'));
    const root = workRoot;
    let lines;
    try {
      lines = await runCheckpointBench({
        runs,
        log: (text) => process.stderr.write(`${text}\n`),
        runIngest: (detect, run) => {
          const setting = detect ? 'on' : 'off';
          return runScenario('harness', 'pty', join(root, `${run}-checkpoint-${setting}`), [
            `--detect-checkpoints=${setting}`,
          ]);
        },
      });
    } finally {
      cleanUp();
    }
    process.stdout.write(`${printed ? '\n' : ''}${lines.join('\n')}\n`);
    printed = true;
  }
  if (sections.includes('dashboard')) {
    const lines = await runDashboardBench((text) => process.stderr.write(`${text}\n`));
    process.stdout.write(`${printed ? '\n' : ''}${lines.join('\n')}\n`);
    printed = true;
  }
  if (sections.includes('durable')) {
    const cpuList = cpus();
    const lines = await runDurableBench({ runs, log: (text) => process.stderr.write(`${text}\n`) });
    lines.splice(
      2,
      0,
      `node ${process.version} · ${cpuList.length} CPUs (${cpuList[0]?.model?.trim() ?? 'unknown'}) · ` +
        `${platform()} ${arch()} · ${new Date().toISOString()}`,
      '',
    );
    process.stdout.write(`${printed ? '\n' : ''}${lines.join('\n')}\n`);
  }
}

main().then(
  () => process.exit(0),
  async (error) => {
    cleanUp();
    await Promise.allSettled([stopAllServers(), stopCheckpointBench(), stopDurableBench()]);
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
