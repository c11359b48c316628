import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../session-manager/test/helpers/temp.js';
import { launchBrowser, type Browser } from './helpers/browser.js';
import { startHarness, type Harness } from './helpers/harness.js';

const RECORD_ARGS = fileURLToPath(
  new URL('../../session-manager/test/fixtures/record-args.mjs', import.meta.url),
);

interface SessionJson {
  id: string;
  status: string;
  workingDir: string;
  agentSessionId: string | null;
  resumedFrom: string | null;
}

let temp: ReturnType<typeof makeTempDir>;
let argsFile: string;
let harness: Harness;
let browser: Browser;

beforeAll(async () => {
  temp = makeTempDir('gsd-dashboard-resume-');
  argsFile = join(temp.dir, 'args.jsonl');
  harness = await startHarness({
    agentCommand: `RECORD_ARGS_FILE='${argsFile}' '${process.execPath}' '${RECORD_ARGS}'`,
  });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await harness?.stop();
  temp?.remove();
});

function recordedArgs(): string[][] {
  return readFileSync(argsFile, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => (JSON.parse(line) as { argv: string[] }).argv);
}

async function openDashboard(): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${harness.url}/?token=${harness.token}`);
  await page
    .getByTestId('connection-status')
    .filter({ hasText: /^connected$/i })
    .waitFor();
  return page;
}

describe('resuming an agent conversation in the dashboard', () => {
  it('resumes an ended prompt session, opens the new one and shows the link both ways', async () => {
    const page = await openDashboard();
    await page.getByTestId('nav-new').click();
    await page.getByTestId('new-workdir').fill(harness.dir);
    await page.getByTestId('new-mode-prompt').check();
    await page.getByTestId('new-prompt').fill('/gsd:plan-phase 1');
    await page.getByTestId('new-submit').click();
    const view = page.getByTestId('session-view');
    await view.waitFor();
    const firstId = (await view.getAttribute('data-session-id')) as string;
    await page
      .locator(`[data-testid="session-view"][data-session-id="${firstId}"][data-status="completed"]`)
      .waitFor({ timeout: 30_000 });
    const first = await harness.api<SessionJson>(`/api/sessions/${firstId}`);
    expect(first.agentSessionId).toMatch(/^[0-9a-f-]{36}$/);

    await page.getByTestId('resume-session').click();
    const resumedView = page.locator(
      `[data-testid="session-view"]:not([data-session-id="${firstId}"])[data-status="completed"]`,
    );
    await resumedView.waitFor({ timeout: 30_000 });
    const resumedId = (await resumedView.getAttribute('data-session-id')) as string;
    const link = resumedView.getByTestId('resumed-from');
    await expect(link.getAttribute('data-session-id')).resolves.toBe(firstId);
    await expect(resumedView.textContent()).resolves.toContain(`resumes ${firstId.slice(0, 8)}`);
    await browser.screenshot(page, 'resumed-session');

    const resumed = await harness.api<SessionJson>(`/api/sessions/${resumedId}`);
    expect(resumed).toMatchObject({
      workingDir: harness.dir,
      agentSessionId: first.agentSessionId,
      resumedFrom: firstId,
    });
    expect(recordedArgs()).toEqual([
      ['--session-id', first.agentSessionId, '/gsd:plan-phase 1'],
      ['--resume', first.agentSessionId],
    ]);

    // The link opens the session it resumes.
    await link.click();
    const firstView = page.locator(`[data-testid="session-view"][data-session-id="${firstId}"]`);
    await firstView.waitFor();
    await expect(firstView.getByTestId('resumed-from').count()).resolves.toBe(0);
    // The sidebar shows the link on the resumed session.
    const sidebarItem = page.locator(`[data-testid="session-item"][data-session-id="${resumedId}"]`);
    await expect(sidebarItem.getByTestId('resumed-from').textContent()).resolves.toBe(
      `resumes ${firstId.slice(0, 8)}`,
    );

    // The history shows the link too, and offers to resume from there.
    await page.getByTestId('nav-history').click();
    const item = page.locator(`[data-testid="history-item"][data-session-id="${resumedId}"]`);
    await item.getByTestId('resumed-from').waitFor();
    await expect(item.textContent()).resolves.toContain(`resumes ${firstId.slice(0, 8)}`);
    await item.click();
    await page.getByTestId('history-detail').getByTestId('resume-session').waitFor();
    await page.close();
  });

  it('offers no resume for a shell session', async () => {
    const { id } = await harness.api<SessionJson>('/api/sessions', {
      method: 'POST',
      body: JSON.stringify({ workingDir: harness.dir, command: 'true' }),
    });
    await expect
      .poll(async () => (await harness.api<SessionJson>(`/api/sessions/${id}`)).status, { timeout: 30_000 })
      .toBe('completed');
    const page = await openDashboard();
    await page.goto(`${harness.url}/#/session/${id}`);
    await page
      .locator(`[data-testid="session-view"][data-session-id="${id}"][data-status="completed"]`)
      .waitFor();
    await expect(page.getByTestId('resume-session').count()).resolves.toBe(0);
    await page.close();
  });
});
