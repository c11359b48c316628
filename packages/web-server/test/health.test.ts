import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

interface Health {
  ok: boolean;
  pid: number;
  startedAt: string;
  activeSessions: number;
  maxSessions: number;
}

describe('GET /health', () => {
  let test: TestServer | undefined;

  afterEach(async () => {
    await test?.close();
    test = undefined;
  });

  it('reports ok with active and maximum sessions', async () => {
    const before = Date.now();
    test = await startTestServer({ manager: { maxSessions: 2 } });
    const idle = await test.json<Health>('/health');
    expect(idle.status).toBe(200);
    expect(idle.body).toMatchObject({ ok: true, pid: process.pid, activeSessions: 0, maxSessions: 2 });
    const startedAt = Date.parse(idle.body.startedAt);
    expect(startedAt).toBeGreaterThanOrEqual(before - 1_000);
    expect(startedAt).toBeLessThanOrEqual(Date.now());

    const session = await test.manager.spawn(test.dir, 'sleep 30');
    const busy = await test.json<Health>('/health');
    expect(busy.body).toMatchObject({ ok: true, activeSessions: 1, maxSessions: 2 });

    await test.manager.terminate(session.id);
    const after = await test.json<Health>('/health');
    expect(after.body).toMatchObject({ ok: true, activeSessions: 0 });
  });

  it('requires the token like every other route', async () => {
    test = await startTestServer();
    const response = await fetch(`${test.url}/health`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'unauthorized' });
  });
});
