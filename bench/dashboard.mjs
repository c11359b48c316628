// Dashboard benchmark: `gsd-harness start` (bench/server.mjs) and the dashboard in Debian's headless
// Chromium (playwright-core), as a person would watch a session.
//
//   - Latency: a PTY session prints a line stamped with the wall clock every 25 ms while the page shows
//     it; a MutationObserver in the page notes when each stamp appears in the terminal's rows.
//     Target: p95 under 100 ms from print to page.
//   - Memory: the page follows a session printing ~54 MB; the tab's JS heap is sampled every 250 ms
//     (CDP Runtime.getHeapUsage) and read once more after a forced GC at the end. Target: under 150 MB.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile, startServer, stopServer } from './server.mjs';

const CHROMIUM = process.env.GSD_TEST_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const DASHBOARD_BENCH = {
  stamps: 200,
  stampIntervalMs: 25,
  /** Lines of 100 characters plus a number: ~54 MB. */
  floodLines: 512_000,
  heapSampleMs: 250,
  latencyP95Ms: 100,
  heapBytes: 150 * 1024 * 1024,
  timeoutMs: 180_000,
};
const P = DASHBOARD_BENCH;

const STAMP_PROGRAM = `let i=0;const t=setInterval(()=>{process.stdout.write('STAMP '+Date.now()+'\\n');if(++i>=${P.stamps})clearInterval(t)},${P.stampIntervalMs})`;
const FLOOD_PROGRAM = `const l='x'.repeat(99)+'\\n';let n=0;(function w(){while(n<${P.floodLines}){n++;if(!process.stdout.write(n+l))return process.stdout.once('drain',w)}process.stdout.write('FLOOD-END\\n')})()`;

const sq = (text) => `'${text.replace(/'/g, `'\\''`)}'`;

async function api(server, path, init = {}) {
  const response = await fetch(`${server.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

async function waitUntil(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Opens the dashboard signed in and shows the session with `id`. */
async function openSession(context, server, id) {
  const page = await context.newPage();
  await page.goto(`${server.url}/?token=${server.token}`);
  await page
    .getByTestId('connection-status')
    .filter({ hasText: /^connected$/i })
    .waitFor();
  await page.locator(`[data-testid="session-item"][data-session-id="${id}"]`).click();
  await page.getByTestId('session-view').getByTestId('terminal').waitFor();
  return page;
}

async function startSession(server, program, delaySeconds) {
  const command = `sleep ${delaySeconds}; ${sq(process.execPath)} -e ${sq(program)}`;
  return api(server, '/api/sessions', {
    method: 'POST',
    body: JSON.stringify({ workingDir: server.work, command, pty: true }),
  });
}

async function benchLatency(context, server, log) {
  // The session waits a moment before printing, so the page is showing it from the first stamp.
  const session = await startSession(server, STAMP_PROGRAM, 3);
  const page = await openSession(context, server, session.id);
  await page.evaluate(() => {
    const seen = new Map();
    const rows = document.querySelector('[data-testid="session-view"] .xterm-rows');
    const read = () => {
      const now = Date.now();
      for (const match of (rows?.textContent ?? '').matchAll(/STAMP (\d{13})/g)) {
        if (!seen.has(match[1])) seen.set(match[1], now - Number(match[1]));
      }
    };
    new MutationObserver(read).observe(rows ?? document.body, {
      childList: true,
      subtree: true,
      characterData: true,
    });
    Object.assign(window, { stampLatencies: seen });
  });
  log(`latency: ${P.stamps} stamps every ${P.stampIntervalMs} ms ...`);
  await waitUntil(
    async () => (await api(server, `/api/sessions/${session.id}`)).status !== 'running',
    P.timeoutMs,
    'the stamp session to end',
  );
  await page.waitForTimeout(300);
  const latencies = await page.evaluate(() => [...window.stampLatencies.values()]);
  await page.close();
  return { seen: latencies.length, latencies };
}

async function benchMemory(context, server, log) {
  const session = await startSession(server, FLOOD_PROGRAM, 3);
  const page = await openSession(context, server, session.id);
  const cdp = await context.newCDPSession(page);
  const samples = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      samples.push(usedSize);
      await new Promise((resolve) => setTimeout(resolve, P.heapSampleMs));
    }
  })();
  log(`memory: following a ${((P.floodLines * 106) / 1e6).toFixed(0)} MB session ...`);
  const started = Date.now();
  const ended = await waitUntil(
    async () => {
      const view = await api(server, `/api/sessions/${session.id}`);
      return view.status === 'running' ? null : view;
    },
    P.timeoutMs,
    'the flood to end',
  );
  const seconds = (Date.now() - started) / 1000;
  await page.getByTestId('session-view').getByTestId('terminal').getByText('FLOOD-END').waitFor({
    timeout: P.timeoutMs,
  });
  sampling = false;
  await sampler;
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize: afterGc } = await cdp.send('Runtime.getHeapUsage');
  await page.close();
  return { bytes: ended.outputBytes, seconds, peak: Math.max(...samples), afterGc };
}

/** Runs both parts and returns the section's report (markdown lines). */
export async function runDashboardBench(log) {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'gsd-bench-chromium-'));
  const server = await startServer();
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1400, height: 900 },
    });
    const latency = await benchLatency(context, server, log);
    const memory = await benchMemory(context, server, log);
    const p95 = percentile(latency.latencies, 0.95);
    const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
    const ms = (value) => `${value.toFixed(1)} ms`;
    const mark = (ok) => (ok ? 'PASS' : 'MISS');
    return [
      '## Dashboard benchmark',
      '',
      `Chromium ${context.browser()?.version() ?? ''} headless, dashboard served by \`gsd-harness start\`.`,
      '',
      '| Measure | Value | Target |',
      '|---|---|---|',
      `| Stamps seen in the page | ${latency.seen} / ${P.stamps} | all |`,
      `| Print → page latency p50 | ${ms(percentile(latency.latencies, 0.5))} | |`,
      `| Print → page latency p95 | ${ms(p95)} | < ${P.latencyP95Ms} ms — ${mark(p95 < P.latencyP95Ms && latency.seen === P.stamps)} |`,
      `| Print → page latency max | ${ms(Math.max(...latency.latencies))} | |`,
      `| Flood followed by the page | ${(memory.bytes / 1e6).toFixed(1)} MB in ${memory.seconds.toFixed(1)} s | |`,
      `| Tab JS heap, peak while following | ${mb(memory.peak)} | < 150 MiB — ${mark(memory.peak < P.heapBytes)} |`,
      `| Tab JS heap after the flood (after GC) | ${mb(memory.afterGc)} | |`,
    ];
  } finally {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
    await stopServer(server);
  }
}
