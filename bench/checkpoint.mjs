// Checkpoint benchmark, in two parts:
//
// 1. Ingest cost: the harness PTY scenario of the output section (COMMAND, 64 MB, PersistentSessionManager,
//    from `spawn()` to the session's end event) with `detectCheckpoints: false` and with `true`,
//    alternating, each run in its own process (bench/scenario.mjs --detect-checkpoints=off|on).
//    Target: the screen mirror and detector add under 10% (ratio of the medians < 1.10).
// 2. Detection latency: a PTY session (in this process, `checkpointQuietMs: 500`) prints a few progress
//    lines and the human-verify checkpoint presentation of the GSD transcripts, then waits in `read`.
//    Latency: from the last `session:output` event to `session:waiting`; beyond the quiet time it must
//    stay under 100 ms in every run. Each checkpoint is answered with `respondToCheckpoint`.
//
// `stopCheckpointBench()` ends the latency part's manager (and its session) and removes its temp dir.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { COMMAND, PTY_COLS, PTY_ROWS, expectedBytes } from './config.mjs';

const SESSION_MANAGER = new URL('../packages/session-manager/dist/index.js', import.meta.url);
/** The transcripts live beside the clone (`../shared`), as the corpus of the state section. */
const TRANSCRIPT = new URL(
  '../../shared/gsd/transcripts/04-template-checkpoint-boxes-v1.5.9+.txt',
  import.meta.url,
);

export const CHECKPOINT_BENCH = {
  /** The ingest may take at most this much longer with detection on (median / median). */
  ingestRatio: 1.1,
  quietMs: 500,
  latencyRuns: 10,
  /** Detection must follow the quiet time within this, in every run. */
  extraMs: 100,
  /** Pause between the progress lines the latency session prints before the checkpoint. */
  progressDelaySeconds: 0.05,
  /** Beyond quietMs: how long to wait for `session:waiting` before the run counts as not detected. */
  detectTimeoutMs: 10_000,
  endTimeoutMs: 10_000,
};

const PROGRESS = [
  'Executing plan 03-02: Responsive dashboard layout',
  '  ✓ Task 1: Dashboard route and layout shell',
  '  ✓ Task 2: Sidebar navigation component',
  '  ✓ Task 3: Content grid with breakpoints',
  '  ✓ Task 4: Hamburger menu for mobile',
  '  ✓ Task 5: Wire sidebar collapse state',
];

function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const shellQuote = (text) => `'${text.replace(/'/g, `'\\''`)}'`;
const max = (values) => (values.length === 0 ? NaN : Math.max(...values));
const fmtInt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const fmtS = (s) => (Number.isFinite(s) ? `${s.toFixed(2)} s` : '–');
const fmtMs = (ms) => (Number.isFinite(ms) ? `${ms.toFixed(1)} ms` : '–');
const fmtX = (x) => (Number.isFinite(x) ? `${x.toFixed(3)}x` : '–');
const mark = (ok) => (ok ? 'PASS' : 'MISS');

function table(header, rows) {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

/** The human-verify presentation of transcript 04: the lines of its fenced block. */
function humanVerifyPresentation() {
  const text = readFileSync(TRANSCRIPT, 'utf8').replace(/\r\n/g, '\n');
  const heading = text.indexOf('**For checkpoint:human-verify:**');
  const open = heading === -1 ? -1 : text.indexOf('```\n', heading);
  const close = open === -1 ? -1 : text.indexOf('\n```', open + 4);
  if (close === -1) throw new Error('no human-verify block in the transcript');
  const lines = text.slice(open + 4, close).split('\n');
  if (!lines.at(-2)?.includes('YOUR ACTION: Type "approved"') || !/^─+$/.test(lines.at(-1) ?? '')) {
    throw new Error('the human-verify block does not end with the YOUR ACTION line and rule');
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------------
// Part 1: ingest with and without the screen mirror and detector

function summarizeIngest(detect, results) {
  const expected = expectedBytes('pty');
  const ok = results.filter((r) => r.error === undefined);
  const problems = results.filter((r) => r.error !== undefined).map((r) => `run failed: ${r.error}`);
  for (const r of ok) {
    if (r.detectCheckpoints !== detect)
      problems.push(`run reported detectCheckpoints ${r.detectCheckpoints}`);
    if (r.status !== 'completed') problems.push(`session ${r.failureReason ?? r.status}`);
    if (r.storageErrors?.length) problems.push(`storage errors: ${r.storageErrors.slice(0, 3).join('; ')}`);
    if (r.content && !r.content.ok) problems.push(`content: ${r.content.firstProblem}`);
    if (r.streamOk === false) problems.push('stream() returned a different byte count than stored');
  }
  const bytes = ok.map((r) => r.bytes);
  return {
    detect,
    runs: results.length,
    okRuns: ok.length,
    times: ok.map((r) => r.seconds),
    time: median(ok.map((r) => r.seconds)),
    cpu: median(ok.map((r) => r.cpuSeconds)),
    rss: max(ok.map((r) => r.rssPeak)),
    expected,
    storedMin: bytes.length ? Math.min(...bytes) : NaN,
    storedMax: max(bytes),
    bytesOk: ok.length === results.length && bytes.every((n) => n === expected),
    allOk: ok.length === results.length && problems.length === 0,
    problems: [...new Set(problems)],
  };
}

async function ingestPart(runs, runIngest, log) {
  const results = { off: [], on: [] };
  const t0 = performance.now();
  for (let run = 1; run <= runs; run++) {
    for (const detect of [false, true]) {
      const label = `detectCheckpoints: ${detect}`;
      log(`[checkpoint ${run}/${runs}] harness (PTY), ${label} ...`);
      const result = await runIngest(detect, run);
      (detect ? results.on : results.off).push(result);
      if (result.error !== undefined) log(`  error: ${result.error}`);
      else
        log(
          `  ${fmtS(result.seconds)}, ${fmtInt(result.bytes)} bytes, CPU ${fmtS(result.cpuSeconds)}, ` +
            `status ${result.status}`,
        );
    }
  }
  log(`[checkpoint] ingest runs done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  // Runs taken back to back, as pairs: machine noise that lasts seconds hits both halves of a pair.
  const paired = results.on.flatMap((on, i) => {
    const off = results.off[i];
    return on.error === undefined && off.error === undefined ? [on.seconds / off.seconds] : [];
  });
  return { off: summarizeIngest(false, results.off), on: summarizeIngest(true, results.on), paired };
}

// ---------------------------------------------------------------------------------------------------
// Part 2: detection latency

/** The latency part's manager and temp dir while it runs (for stopCheckpointBench). */
let live = null;

export async function stopCheckpointBench() {
  const current = live;
  live = null;
  if (current === null) return;
  try {
    await current.manager?.close();
  } catch {
    // Closing is best effort here; the temp dir goes anyway.
  }
  rmSync(current.dir, { recursive: true, force: true });
}

/** Resolves with the first `event` matching `accept`, or null after `ms`. */
function nextEvent(manager, event, accept, ms) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      off();
      resolve(null);
    }, ms);
    const off = manager.subscribe(event, (payload) => {
      if (!accept(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

async function latencyRun(manager, dir, script) {
  const { quietMs, detectTimeoutMs, endTimeoutMs } = CHECKPOINT_BENCH;
  const run = {
    sessionId: null,
    outputs: 0,
    lastOutputAt: NaN,
    lastOutputTimestamp: NaN,
    waitings: 0,
    outputsWhileWaiting: 0,
    latencyMs: NaN,
    latencyByTimestampMs: NaN,
    checkpoint: null,
    resumed: false,
    status: null,
    answerEchoed: false,
    problems: [],
  };
  const mine = (id) => run.sessionId === null || id === run.sessionId;
  const offOutput = manager.subscribe('session:output', (event) => {
    if (!mine(event.sessionId)) return;
    if (run.waitings > 0 && !run.resumed) run.outputsWhileWaiting++;
    run.outputs++;
    run.lastOutputAt = performance.now();
    run.lastOutputTimestamp = event.timestamp.getTime();
  });
  const offWaiting = manager.subscribe('session:waiting', (event) => {
    if (!mine(event.session.id)) return;
    const at = performance.now();
    const now = Date.now();
    run.waitings++;
    if (run.waitings > 1) return;
    run.latencyMs = at - run.lastOutputAt;
    run.latencyByTimestampMs = now - run.lastOutputTimestamp;
    run.checkpoint = event.checkpoint;
  });
  const offResumed = manager.subscribe('session:resumed', (event) => {
    if (mine(event.session.id)) run.resumed = true;
  });
  try {
    const waiting = nextEvent(
      manager,
      'session:waiting',
      (event) => mine(event.session.id),
      quietMs + detectTimeoutMs,
    );
    const session = await manager.spawn(dir, `sh ${shellQuote(script)}`, {
      pty: true,
      cols: PTY_COLS,
      rows: PTY_ROWS,
    });
    run.sessionId = session.id;
    if ((await waiting) === null) {
      run.problems.push(`no session:waiting within ${(quietMs + detectTimeoutMs) / 1000} s`);
      await manager.terminate(session.id);
      run.status = (await manager.waitForEnd(session.id)).status;
      return run;
    }
    const details = run.checkpoint.details;
    if (details.type !== 'human-verify') run.problems.push(`detected as ${details.type}`);
    else if (!details.resumeKeywords.includes('approved') || details.verifySteps.length !== 4) {
      run.problems.push(
        `details: keywords ${JSON.stringify(details.resumeKeywords)}, ${details.verifySteps.length} steps`,
      );
    }
    manager.respondToCheckpoint(session.id, 'approved', 'cli');
    const ended = await Promise.race([manager.waitForEnd(session.id), sleep(endTimeoutMs).then(() => null)]);
    if (ended === null) {
      run.problems.push(`still running ${endTimeoutMs / 1000} s after the answer`);
      await manager.terminate(session.id);
      run.status = (await manager.waitForEnd(session.id)).status;
    } else run.status = ended.status;
    run.answerEchoed = manager.getOutput(session.id).toString('utf8').includes('answer: approved');
    if (run.status !== 'completed') run.problems.push(`session ${run.status}`);
    if (!run.resumed) run.problems.push('no session:resumed after the answer');
    if (!run.answerEchoed) run.problems.push('the script did not receive "approved"');
    if (run.waitings > 1) run.problems.push(`${run.waitings} session:waiting events`);
    if (run.outputsWhileWaiting > 0)
      run.problems.push(
        `${run.outputsWhileWaiting} output event(s) after session:waiting, before the answer`,
      );
    return run;
  } finally {
    offOutput();
    offWaiting();
    offResumed();
  }
}

async function latencyPart(log) {
  const { quietMs, latencyRuns, progressDelaySeconds } = CHECKPOINT_BENCH;
  const presentation = humanVerifyPresentation();
  const { PersistentSessionManager } = await import(SESSION_MANAGER.href);
  const dir = mkdtempSync(join(tmpdir(), 'gsd-bench-checkpoint-'));
  live = { dir, manager: null };
  const state = live;
  try {
    writeFileSync(join(dir, 'presentation.txt'), `${presentation.join('\n')}\n`);
    const script = join(dir, 'agent.sh');
    writeFileSync(
      script,
      [
        ...PROGRESS.flatMap((line) => [
          `printf '%s\\n' ${shellQuote(line)}`,
          `sleep ${progressDelaySeconds}`,
        ]),
        `printf '\\n'`,
        `cat ${shellQuote(join(dir, 'presentation.txt'))}`,
        'read -r answer',
        `printf 'answer: %s\\n' "$answer"`,
        '',
      ].join('\n'),
    );
    const manager = new PersistentSessionManager({
      dbPath: join(dir, 'sessions.db'),
      checkpointQuietMs: quietMs,
    });
    state.manager = manager;
    const storageErrors = [];
    manager.on('storage:error', ({ error }) => storageErrors.push(String(error?.message ?? error)));
    await manager.ready;

    const runs = [];
    for (let i = 1; i <= latencyRuns; i++) {
      const run = await latencyRun(manager, dir, script);
      runs.push(run);
      log(
        `[checkpoint latency ${i}/${latencyRuns}] ` +
          (Number.isFinite(run.latencyMs)
            ? `${run.checkpoint.details.type} after ${fmtMs(run.latencyMs)} of quiet ` +
              `(+${fmtMs(run.latencyMs - quietMs)}), ${run.outputs} output events`
            : 'not detected') +
          (run.problems.length ? `; ${run.problems.join('; ')}` : ''),
      );
    }
    await manager.close();
    return { runs, storageErrors, presentationLines: presentation.length };
  } finally {
    if (live === state) await stopCheckpointBench();
  }
}

// ---------------------------------------------------------------------------------------------------

/**
 * Runs both parts and returns the section's report (markdown lines). `runIngest(detect, run)` runs
 * bench/scenario.mjs in a child process (`harness pty <dir> --detect-checkpoints=on|off`) and
 * resolves with its JSON result, or `{ error }`.
 */
export async function runCheckpointBench({ runs, runIngest, log }) {
  const { ingestRatio, quietMs, latencyRuns, extraMs } = CHECKPOINT_BENCH;
  const cpuList = cpus();
  const out = ['## Checkpoint detection benchmark', ''];
  out.push(
    `node ${process.version} · ${cpuList.length} CPUs (${cpuList[0]?.model?.trim() ?? 'unknown'}) · ` +
      `${platform()} ${arch()} · ${new Date().toISOString()} · ${runs} ingest run${runs === 1 ? '' : 's'} ` +
      `per setting, ${latencyRuns} latency runs`,
    '',
  );

  const ingest = await ingestPart(runs, runIngest, log);
  let latency;
  let latencyError = null;
  try {
    latency = await latencyPart(log);
  } catch (error) {
    latencyError = String(error?.message ?? error);
    log(`[checkpoint latency] failed: ${latencyError}`);
  }

  // Part 1
  const { off, on, paired } = ingest;
  const ratio = on.time / off.time;
  const cpuRatio = on.cpu / off.cpu;
  out.push(
    `Ingest: \`${COMMAND}\` through \`PersistentSessionManager\` on a PTY, alternating the settings.`,
    '',
  );
  const storedCell = (s) =>
    s.okRuns === 0
      ? 'error'
      : `${s.storedMin === s.storedMax ? fmtInt(s.storedMin) : `${fmtInt(s.storedMin)}–${fmtInt(s.storedMax)}`}` +
        ` / ${fmtInt(s.expected)}`;
  out.push(
    table(
      [
        '`detectCheckpoints`',
        'Time (median)',
        'Runs (s)',
        'CPU (median)',
        'Peak RSS (max)',
        'Bytes stored / expected',
        'Ok',
      ],
      [off, on].map((s) => [
        String(s.detect),
        s.okRuns ? fmtS(s.time) : 'error',
        s.times.map((t) => t.toFixed(2)).join(', ') || '–',
        fmtS(s.cpu),
        Number.isFinite(s.rss) ? `${(s.rss / 1e6).toFixed(1)} MB` : '–',
        storedCell(s),
        s.allOk ? 'yes' : 'no',
      ]),
    ),
    '',
  );

  // Part 2
  const rows = [];
  let detected = 0;
  let extras = [];
  let latencies = [];
  let clean = 0;
  if (latency !== undefined) {
    const found = latency.runs.filter((r) => Number.isFinite(r.latencyMs));
    detected = latency.runs.filter((r) => r.checkpoint?.details.type === 'human-verify').length;
    latencies = found.map((r) => r.latencyMs);
    extras = latencies.map((ms) => ms - quietMs);
    clean = latency.runs.filter((r) => r.problems.length === 0).length;
    const skew = max(found.map((r) => Math.abs(r.latencyByTimestampMs - r.latencyMs)));
    out.push(
      `Latency: a PTY session (\`checkpointQuietMs: ${quietMs}\`) prints ${PROGRESS.length} progress lines ` +
        `${CHECKPOINT_BENCH.progressDelaySeconds * 1000} ms apart, then the human-verify presentation of ` +
        `transcript 04 (${latency.presentationLines} lines, ending with the \`→ YOUR ACTION\` line and rule) ` +
        'and waits in `read`; each checkpoint is answered with `respondToCheckpoint(id, "approved")`.',
      '',
    );
    rows.push(
      [
        'Last `session:output` → `session:waiting`',
        `median ${fmtMs(median(latencies))}, max ${fmtMs(max(latencies))}`,
        latencies.map((ms) => ms.toFixed(1)).join(', ') + ' ms',
      ],
      [
        'Beyond the quiet time',
        `median ${fmtMs(median(extras))}, max ${fmtMs(max(extras))}`,
        `min ${fmtMs(Math.min(...extras))}; by the events' \`timestamp\` (ms clock) instead: within ` +
          `${fmtMs(skew)} of these`,
      ],
      [
        'Checkpoints detected (human-verify)',
        `${detected}/${latency.runs.length}`,
        `answered and completed cleanly: ${clean}/${latency.runs.length}`,
      ],
    );
    out.push(table(['Measurement', 'Result', 'Details'], rows), '');
  } else {
    out.push(`Latency: error — ${latencyError}`, '');
  }

  const worstExtra = max(extras);
  const latencyOk =
    latency !== undefined &&
    detected === latencyRuns &&
    extras.length === latencyRuns &&
    worstExtra < extraMs;
  out.push(
    table(
      ['Target', 'Result'],
      [
        [
          `Screen mirror + detector add < ${Math.round((ingestRatio - 1) * 100)}% to the 64 MB PTY ingest ` +
            '(median on / median off)',
          Number.isFinite(ratio)
            ? `${fmtX(ratio)} — ${mark(ratio < ingestRatio && off.allOk && on.allOk)} (run by run: ` +
              `${paired.map((x) => x.toFixed(2)).join(', ')}, median ${fmtX(median(paired))}; CPU ${fmtX(cpuRatio)})`
            : 'error — MISS',
        ],
        ['Bytes stored = expected in every ingest run, both settings', `${mark(off.bytesOk && on.bytesOk)}`],
        [
          `Detection within quiet time + ${extraMs} ms (every run, checkpoint detected every time)`,
          latency === undefined
            ? 'error — MISS'
            : `max +${fmtMs(worstExtra)}, ${detected}/${latencyRuns} detected — ${mark(latencyOk)}`,
        ],
      ],
    ),
    '',
  );
  out.push(
    'Ingest times: from `spawn()` to `session:completed`/`session:failed`, each run in its own process ' +
      '(bench/scenario.mjs, as the output section), database in a temp dir; CPU: user + system of that ' +
      'process; run by run: each `true` run over the `false` run just before it. Latency: ' +
      '`performance.now()` in listeners on the manager, in this process; the session prints nothing after ' +
      'the presentation until it is answered.',
  );

  const notes = [];
  for (const s of [off, on]) for (const p of s.problems) notes.push(`detectCheckpoints ${s.detect}: ${p}`);
  if (latency !== undefined) {
    for (const [i, r] of latency.runs.entries())
      for (const p of r.problems) notes.push(`latency run ${i + 1}: ${p}`);
    for (const e of latency.storageErrors.slice(0, 3)) notes.push(`latency: storage error: ${e}`);
  }
  if (notes.length) out.push('', ...notes.map((n) => `- ${n}`));
  return out;
}
