// State parser benchmark: `readPlanningState` (read the `.planning` tree, then parse it) on the largest
// project of the shared GSD corpus, about 400 files, in this process. Every run is timed, the first
// (cold: JIT and file cache) included; the target is on the median.
import { readdirSync } from 'node:fs';
import { arch, cpus, platform } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const CORE = new URL('../packages/core/dist/index.js', import.meta.url);
/** The corpus lives beside the clone (`../shared`), as in CI. */
const CORPUS = new URL('../../shared/gsd/corpus/', import.meta.url);

export const STATE_BENCH = {
  project: 'RonnieDEV213+DS-ProSolution',
  runs: 20,
  targetMs: 200,
};

function countFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (sum, entry) => sum + (entry.isDirectory() ? countFiles(join(dir, entry.name)) : entry.isFile() ? 1 : 0),
    0,
  );
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const fmtMs = (ms) => `${ms.toFixed(1)} ms`;

/** Runs the benchmark and returns its report (markdown lines). */
export async function runStateBench(log) {
  const { project, runs, targetMs } = STATE_BENCH;
  const out = ['## State parser benchmark', ''];
  const cpuList = cpus();
  out.push(
    `node ${process.version} · ${cpuList.length} CPUs (${cpuList[0]?.model?.trim() ?? 'unknown'}) · ` +
      `${platform()} ${arch()} · ${new Date().toISOString()}`,
    '',
  );
  const dir = fileURLToPath(new URL(`${encodeURIComponent(project)}/`, CORPUS));
  let files;
  try {
    files = countFiles(join(dir, '.planning'));
  } catch (error) {
    out.push(`Corpus project not found at ${dir} (${error.code ?? error.message}) — MISS`);
    return out;
  }
  const { readPlanningState } = await import(CORE.href);
  const times = [];
  let state;
  for (let run = 1; run <= runs; run++) {
    const started = performance.now();
    state = readPlanningState(dir);
    times.push(performance.now() - started);
  }
  const mid = median(times);
  log(`[state] ${runs} runs of readPlanningState: median ${fmtMs(mid)}`);
  const plans = state.phases.reduce((sum, phase) => sum + phase.plansTotal, 0);
  out.push(
    `\`readPlanningState\` on ${project}: ${files} files in .planning, ${state.phases.length} phases, ` +
      `${plans} plans; ${runs} runs in one process.`,
    '',
    '| Target | Median | First (cold) | Max |',
    '|---|---|---|---|',
    `| Read + parse < ${targetMs} ms | ${fmtMs(mid)} — ${mid < targetMs ? 'PASS' : 'MISS'} | ${fmtMs(times[0])} | ` +
      `${fmtMs(Math.max(...times))} |`,
  );
  return out;
}
