import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type Browser } from './helpers/browser.js';
import { startHarness, type Harness } from './helpers/harness.js';

const CORPUS_PROJECT = fileURLToPath(
  new URL('../../../../shared/gsd/corpus/calebfaruki+get-shit-done/', import.meta.url),
);

interface SessionJson {
  id: string;
  status: string;
  exitCode: number | null;
  cols: number | null;
  rows: number | null;
}

let harness: Harness;
let browser: Browser;

beforeAll(async () => {
  harness = await startHarness();
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await harness?.stop();
});

/** A page signed in through the URL the harness printed. */
async function openDashboard(): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${harness.url}/?token=${harness.token}`);
  await page
    .getByTestId('connection-status')
    .filter({ hasText: /^connected$/i })
    .waitFor();
  return page;
}

/** Fills and submits the new-session form; returns the id of the session the page opened. */
async function startFromForm(
  page: Page,
  start: { command: string; pty?: boolean } | { prompt: string },
): Promise<string> {
  await page.getByTestId('nav-new').click();
  await page.getByTestId('new-workdir').fill(harness.dir);
  if ('prompt' in start) {
    await page.getByTestId('new-mode-prompt').check();
    await page.getByTestId('new-prompt').fill(start.prompt);
  } else {
    await page.getByTestId('new-mode-command').check();
    await page.getByTestId('new-command').fill(start.command);
    await page.getByTestId('new-pty').setChecked(start.pty ?? true);
  }
  await page.getByTestId('new-submit').click();
  const view = page.getByTestId('session-view');
  await view.waitFor();
  const id = await view.getAttribute('data-session-id');
  expect(id).toMatch(/\S/);
  return id as string;
}

function terminalOf(page: Page) {
  return page.getByTestId('session-view').getByTestId('terminal');
}

async function waitForStatus(page: Page, status: string): Promise<void> {
  await page.locator(`[data-testid="session-view"][data-status="${status}"]`).waitFor({ timeout: 30_000 });
}

describe('the dashboard in a real browser', () => {
  it('loads with the token from the URL, keeps it for the tab and takes it out of the address bar', async () => {
    const page = await openDashboard();
    expect(page.url()).not.toContain(harness.token);
    await page.reload();
    await page
      .getByTestId('connection-status')
      .filter({ hasText: /^connected$/i })
      .waitFor();
    await expect(page.getByTestId('login-screen').count()).resolves.toBe(0);
    await page.close();
  });

  it('starts a session from the form, shows its output live and watches it complete', async () => {
    const page = await openDashboard();
    const id = await startFromForm(page, {
      command: "printf '\\033[32mhello from the dashboard\\033[0m\\n'; sleep 1; echo second-line; exit 4",
    });
    await terminalOf(page).getByText('hello from the dashboard').waitFor();
    await terminalOf(page).getByText('second-line').waitFor();
    await waitForStatus(page, 'failed');
    await expect(page.getByTestId('session-status').textContent()).resolves.toMatch(/4/);
    const session = await harness.api<SessionJson>(`/api/sessions/${id}`);
    expect(session).toMatchObject({ status: 'failed', exitCode: 4 });
    await browser.screenshot(page, 'session-completed');
    await page.close();
  });

  it('shows an error from the server next to the form', async () => {
    const page = await openDashboard();
    await page.getByTestId('nav-new').click();
    await page.getByTestId('new-workdir').fill('/no/such/directory/anywhere');
    await page.getByTestId('new-mode-command').check();
    await page.getByTestId('new-command').fill('echo never');
    await page.getByTestId('new-submit').click();
    await expect(page.getByTestId('new-error').textContent()).resolves.toMatch(/no\/such\/directory/);
    await page.close();
  });

  it('shows a checkpoint with its options, answers it with one click, and the session finishes', async () => {
    const page = await browser.newPage();
    // Headless Chromium shows no notifications: record the ones the page creates instead.
    await page.addInitScript(() => {
      const shown: string[] = [];
      class RecordedNotification {
        static permission = 'granted';
        static requestPermission = () => Promise.resolve('granted');
        onclick: (() => void) | null = null;
        constructor(title: string) {
          shown.push(title);
        }
        close(): void {}
      }
      Object.assign(window, { Notification: RecordedNotification, shownNotifications: shown });
    });
    await page.goto(`${harness.url}/?token=${harness.token}`);
    await page
      .getByTestId('connection-status')
      .filter({ hasText: /^connected$/i })
      .waitFor();
    const id = await startFromForm(page, { prompt: 'decision' });
    const panel = page.getByTestId('checkpoint-panel');
    await panel.waitFor({ timeout: 30_000 });
    await expect(panel.getAttribute('data-type')).resolves.toBe('decision');
    const options = page.getByTestId('checkpoint-option');
    await expect(
      options.evaluateAll((els) => els.map((el) => el.getAttribute('data-option-id'))),
    ).resolves.toEqual(['supabase', 'clerk', 'nextauth']);
    await expect(
      page.locator(`[data-testid="session-item"][data-session-id="${id}"]`).getAttribute('data-status'),
    ).resolves.toBe('waiting_checkpoint');
    await browser.screenshot(page, 'checkpoint');
    const notifications = await page.evaluate(
      () => (window as unknown as { shownNotifications: string[] }).shownNotifications,
    );
    expect(notifications.length).toBe(1);
    await page.locator('[data-testid="checkpoint-option"][data-option-id="clerk"]').click();
    await waitForStatus(page, 'completed');
    const checkpoint = await harness.api<{ checkpoint: { response: string; responder: string } }>(
      `/api/sessions/${id}/checkpoint`,
    );
    expect(checkpoint.checkpoint).toMatchObject({ response: 'clerk', responder: 'dashboard' });
    await page.close();
  });

  it('lists ended sessions in the history, filters them and pages their output', async () => {
    const page = await openDashboard();
    const { id } = await harness.api<SessionJson>('/api/sessions', {
      method: 'POST',
      body: JSON.stringify({ workingDir: harness.dir, command: 'seq 1 30000; echo history-marker' }),
    });
    await expect
      .poll(async () => (await harness.api<SessionJson>(`/api/sessions/${id}`)).status, { timeout: 30_000 })
      .toBe('completed');
    await page.getByTestId('nav-history').click();
    await page.getByTestId('history-filter-q').fill('history-marker');
    const item = page.locator(`[data-testid="history-item"][data-session-id="${id}"]`);
    await item.waitFor();
    await expect(page.getByTestId('history-item').count()).resolves.toBe(1);
    await item.click();
    const output = page.getByTestId('history-output');
    await output.getByText('history-marker').waitFor();
    await page.getByTestId('history-older').click();
    await expect.poll(() => output.textContent()).not.toContain('history-marker');
    await page.getByTestId('history-newer').click();
    await output.getByText('history-marker').waitFor();
    await page.close();
  });

  it('shows the login screen for a wrong token and signs in with the right one', async () => {
    const page = await browser.newPage();
    await page.goto(`${harness.url}/?token=not-the-token`);
    await page.getByTestId('login-screen').waitFor();
    await browser.screenshot(page, 'login');
    await page.getByTestId('login-token').fill(harness.token);
    await page.getByTestId('login-submit').click();
    await page
      .getByTestId('connection-status')
      .filter({ hasText: /^connected$/i })
      .waitFor();
    await page.close();
  });

  it('shows the GSD phases of a corpus project with their progress', async () => {
    const expected = JSON.parse(readFileSync(`${CORPUS_PROJECT}EXPECTED.json`, 'utf8')) as {
      phaseCount: number;
      completedPhases: string[];
    };
    const page = await openDashboard();
    await page.getByTestId('nav-project').click();
    await page.getByTestId('project-dir').fill(CORPUS_PROJECT);
    await page.getByTestId('project-load').click();
    await page.getByTestId('project-panel').waitFor();
    const phases = page.getByTestId('project-phase');
    await expect(phases.count()).resolves.toBe(expected.phaseCount);
    const complete = await page
      .locator('[data-testid="project-phase"][data-status="complete"]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-phase-id')));
    expect(complete).toEqual(expected.completedPhases);
    await browser.screenshot(page, 'project');
    await page.close();
  });
});

describe('live terminals', () => {
  it('types into a PTY session only after taking control, and the terminal size follows the panel', async () => {
    const page = await openDashboard();
    const id = await startFromForm(page, { command: 'cat' });
    const terminal = terminalOf(page);
    await terminal.click();
    await page.keyboard.type('ignored-while-watching');
    await page.getByTestId('take-control').click();
    await terminal.click();
    await page.keyboard.type('typed-in-the-browser');
    await page.keyboard.press('Enter');
    // The terminal echoes the line and cat prints it again.
    await expect
      .poll(async () => (await terminal.textContent())?.split('typed-in-the-browser').length)
      .toBe(3);
    expect(await terminal.textContent()).not.toContain('ignored-while-watching');
    const before = await harness.api<SessionJson>(`/api/sessions/${id}`);
    await page.setViewportSize({ width: 1000, height: 700 });
    await expect
      .poll(async () => (await harness.api<SessionJson>(`/api/sessions/${id}`)).cols)
      .toBeLessThan(before.cols as number);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('end-session').click();
    await waitForStatus(page, 'failed');
    await page.close();
  });

  it('opens a running session at its current screen without replaying its history', async () => {
    const { id } = await harness.api<SessionJson>('/api/sessions', {
      method: 'POST',
      body: JSON.stringify({
        workingDir: harness.dir,
        command: 'seq 1 200000; echo screen-bottom-line; sleep 60',
        pty: true,
      }),
    });
    await expect
      .poll(
        async () => (await harness.api<{ data: string }>(`/api/sessions/${id}/output?tailBytes=100`)).data,
        {
          timeout: 30_000,
        },
      )
      .toContain('screen-bottom-line');
    const page = await openDashboard();
    let received = 0;
    page.on('websocket', (socket) =>
      socket.on('framereceived', ({ payload }) => (received += payload.length)),
    );
    await page.reload();
    await page.locator(`[data-testid="session-item"][data-session-id="${id}"]`).click();
    await terminalOf(page).getByText('screen-bottom-line').waitFor();
    const stored = (await harness.api<{ outputBytes: number }>(`/api/sessions/${id}`)).outputBytes;
    expect(stored).toBeGreaterThan(1_000_000);
    // The screen and its scrollback, not the 1.3 MB of history.
    expect(received).toBeLessThan(stored / 4);
    await harness.api(`/api/sessions/${id}`, { method: 'DELETE' });
    await page.close();
  });

  it('keeps the tab heap under 150 MB while a session prints 50 MB', async () => {
    const page = await openDashboard();
    const id = await startFromForm(page, {
      command: `node -e "const l='x'.repeat(99)+'\\\\n';let n=0;(function w(){while(n<512e3){n++;if(!process.stdout.write(n+l))return process.stdout.once('drain',w)}})()"`,
    });
    await waitForStatus(page, 'completed');
    const session = await harness.api<{ outputBytes: number }>(`/api/sessions/${id}`);
    expect(session.outputBytes).toBeGreaterThan(50_000_000);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    expect(usedSize).toBeLessThan(150 * 1024 * 1024);
    await page.close();
  }, 120_000);
});
