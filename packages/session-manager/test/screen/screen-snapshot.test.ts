import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_COLS, DEFAULT_ROWS, PersistentSessionManager, SessionError } from '../../src/index.js';
import { makeTempDir, pollUntil } from '../helpers/temp.js';
import { numberedLine, render } from '../helpers/terminal.js';

const PRINT_LINES = new URL('../fixtures/print-lines.mjs', import.meta.url).pathname;
const COLOURED = "printf '\\033[31mred\\033[0m\\nsecond line\\n\\033[1;1Htop'";

describe('PersistentSessionManager.screenSnapshot', () => {
  const cleanups: Array<() => Promise<void> | void> = [];

  function start(options: ConstructorParameters<typeof PersistentSessionManager>[0] = {}) {
    const temp = makeTempDir();
    const manager = new PersistentSessionManager({ ...options, dbPath: temp.dbPath });
    cleanups.push(async () => {
      await manager.close();
      temp.remove();
    });
    return { temp, manager };
  }

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('serializes a live session from its mirror, covering every byte printed so far', async () => {
    const { temp, manager } = start();
    const session = await manager.spawn(temp.dir, `${COLOURED}; sleep 30`, { pty: true, cols: 50, rows: 12 });
    await pollUntil(() => manager.getOutput(session.id).toString().endsWith('top'));
    const snapshot = await manager.screenSnapshot(session.id);
    expect(snapshot).toMatchObject({ cols: 50, rows: 12, offset: manager.getOutput(session.id).length });
    expect((await render(snapshot.data, 50, 12)).lines).toEqual(['top', 'second line']);
  });

  it('rebuilds an ended session from its stored output', async () => {
    const { temp, manager } = start();
    const session = await manager.spawn(temp.dir, `${COLOURED}; printf '\\033[3;1Hthird'`, {
      pty: true,
      cols: 30,
      rows: 8,
    });
    await manager.waitForEnd(session.id);
    const output = manager.getOutput(session.id);
    const snapshot = await manager.screenSnapshot(session.id);
    expect(snapshot).toMatchObject({ cols: 30, rows: 8, offset: output.length });
    const expected = await render(output, 30, 8);
    const rebuilt = await render(snapshot.data, 30, 8);
    expect(rebuilt.lines).toEqual(expected.lines);
    expect(rebuilt.lines).toEqual(['top', 'second line', 'third']);
    expect(rebuilt.cursor).toEqual(expected.cursor);
  });

  it('rebuilds from storage when the manager keeps no mirror, at the default size for a pipe', async () => {
    const { temp, manager } = start({ detectCheckpoints: false });
    const session = await manager.spawn(temp.dir, `node ${PRINT_LINES} 30; sleep 30`);
    const expectedBytes = 30 * Buffer.byteLength(`${numberedLine(1)}\n`);
    await pollUntil(() => manager.getSession(session.id)?.outputBytes === expectedBytes);
    const snapshot = await manager.screenSnapshot(session.id);
    expect(snapshot).toMatchObject({ cols: DEFAULT_COLS, rows: DEFAULT_ROWS, offset: expectedBytes });
    // Pipe output has bare line feeds: each still starts a new line.
    const lines = (await render(snapshot.data, DEFAULT_COLS, DEFAULT_ROWS)).lines;
    expect(lines).toEqual(Array.from({ length: 30 }, (_, i) => numberedLine(i + 1)));
  });

  it('reads a session another manager on the same database runs', async () => {
    const { temp, manager } = start();
    const other = new PersistentSessionManager({ dbPath: temp.dbPath, autoRecover: false });
    cleanups.push(() => other.close());
    const session = await manager.spawn(temp.dir, "printf 'from the owner\\n'; sleep 30", { pty: true });
    await pollUntil(() => other.getSession(session.id)?.outputBytes === 'from the owner\r\n'.length);
    const snapshot = await other.screenSnapshot(session.id);
    expect(snapshot.offset).toBe('from the owner\r\n'.length);
    expect((await render(snapshot.data, snapshot.cols, snapshot.rows)).lines).toEqual(['from the owner']);
  });

  it('refuses an unknown session', async () => {
    const { manager } = start();
    const error = await manager.screenSnapshot('no-such-session').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SessionError);
    expect(error).toMatchObject({ code: 'SESSION_NOT_FOUND' });
  });
});
