import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PersistentSessionManager } from '../../src/index.js';
import { ensureHostDir } from '../../src/host/host-address.js';
import { LaunchedHost } from '../../src/host/spawn-host.js';
import { endDurableSessions } from '../helpers/hosts.js';
import { isProcessRunning } from '../helpers/process.js';
import { makeTempDir, pollUntil } from '../helpers/temp.js';

describe('session hosts started ahead of time', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let hostDir: string;
  const managers: PersistentSessionManager[] = [];

  beforeEach(() => {
    temp = makeTempDir('gsd-launched-');
    hostDir = join(temp.dir, 'hosts');
    ensureHostDir(hostDir);
  });
  afterEach(async () => {
    await Promise.all(managers.splice(0).map((manager) => manager.close()));
    await endDurableSessions(temp.dbPath);
    delete process.env.GSD_LAUNCHED_HOST_TEST;
    temp.remove();
  });

  function open(): PersistentSessionManager {
    const manager = new PersistentSessionManager({ dbPath: temp.dbPath, hostDir, durableByDefault: true });
    managers.push(manager);
    return manager;
  }

  const startingLogs = (): string[] => readdirSync(hostDir).filter((name) => name.startsWith('starting-'));

  it('keeps one ready after a durable session starts, gives the next session to it, and ends it on close', async () => {
    const manager = open();
    const first = await manager.spawn(temp.dir, 'echo first');
    await manager.waitForEnd(first.id);
    // A host started for the next session waits, with its log under a provisional name.
    expect(startingLogs()).toHaveLength(1);
    const provisional = startingLogs()[0] as string;

    // Set after that host started: the session still sees the harness's environment of now.
    process.env.GSD_LAUNCHED_HOST_TEST = 'set later';
    const second = await manager.spawn(temp.dir, 'echo "env: $GSD_LAUNCHED_HOST_TEST"');
    const ended = await manager.waitForEnd(second.id);
    expect(ended.status).toBe('completed');
    expect(manager.getOutput(second.id).toString()).toBe('env: set later\n');
    // That host took the second session: its log now bears the session's id.
    expect(existsSync(join(hostDir, provisional))).toBe(false);
    expect(existsSync(join(hostDir, `${second.id}.log`))).toBe(true);

    const spares = startingLogs();
    expect(spares).toHaveLength(1);
    await manager.close();
    expect(startingLogs()).toEqual([]);
  });

  it('removes the logs of waiting hosts that were killed unseen, and keeps those of live ones', async () => {
    const gone = spawnSync('true');
    const stale = join(hostDir, `starting-${gone.pid}.log`);
    const live = join(hostDir, `starting-${process.pid}.log`);
    writeFileSync(stale, 'a host killed while it waited\n');
    writeFileSync(live, 'still waiting\n');
    const manager = open();
    const session = await manager.spawn(temp.dir, 'true');
    await manager.waitForEnd(session.id);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });

  it('exits, removing its log, when its input closes without a session', async () => {
    const launched = LaunchedHost.launch(hostDir);
    const pid = launched.pid as number;
    expect(isProcessRunning(pid)).toBe(true);
    expect(startingLogs()).toHaveLength(1);
    launched.dispose();
    expect(launched.usable).toBe(false);
    await pollUntil(() => !isProcessRunning(pid));
    expect(startingLogs()).toEqual([]);
    await expect(launched.start({} as never)).rejects.toMatchObject({ code: 'HOST_START_FAILED' });
  });

  it('exits, removing its log, when stopped with SIGTERM before it is given a session', async () => {
    const launched = LaunchedHost.launch(hostDir);
    const pid = launched.pid as number;
    // node-pty's native module is loaded with the host's code, just before it starts waiting for its
    // spec; a stop then removes its provisional log.
    await pollUntil(() => {
      try {
        return readFileSync(`/proc/${pid}/maps`, 'utf8').includes('pty.node');
      } catch {
        return false;
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    process.kill(pid, 'SIGTERM');
    await pollUntil(() => !isProcessRunning(pid));
    expect(startingLogs()).toEqual([]);
    await pollUntil(() => !launched.usable);
  });

  it('is replaced by a new host when it died while waiting', async () => {
    const manager = open();
    const first = await manager.spawn(temp.dir, 'true');
    await manager.waitForEnd(first.id);
    const [provisional] = startingLogs();
    // The waiting host's log is named after its process.
    const pid = Number(/^starting-(\d+)\.log$/.exec(provisional as string)?.[1]);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    await pollUntil(() => !isProcessRunning(pid));

    const second = await manager.spawn(temp.dir, 'echo still works');
    expect((await manager.waitForEnd(second.id)).status).toBe('completed');
    expect(manager.getOutput(second.id).toString()).toBe('still works\n');
    // The dead host's provisional log went with it.
    expect(existsSync(join(hostDir, provisional as string))).toBe(false);
  });
});
