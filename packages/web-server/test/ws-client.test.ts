import type { SessionOutputEvent } from '@gsd/core';
import type { SerializedScreen } from '@gsd/session-manager';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { Client, WS_MAX_BUFFERED_BYTES } from '../src/ws-client.js';
import { pollUntil } from './helpers/server.js';

/** Stands in for a connected socket: records what is sent; `bufferedAmount` is set by the test. */
class RecordingSocket {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: Array<Record<string, unknown>> = [];

  send(text: string): void {
    this.sent.push(JSON.parse(text) as Record<string, unknown>);
  }

  outputs(): Array<{ offset: number; bytes: Buffer }> {
    return this.sent
      .filter((m) => m.type === 'output')
      .map((m) => ({ offset: m.offset as number, bytes: Buffer.from(m.data as string, 'base64') }));
  }
}

/** Snapshots the test resolves by hand, to control what arrives while one is taken. */
class ManualSnapshots {
  private readonly waiting: Array<{
    sessionId: string;
    resolve(screen: SerializedScreen): void;
    reject(error: Error): void;
  }> = [];

  readonly take = (sessionId: string): Promise<SerializedScreen> =>
    new Promise((resolve, reject) => this.waiting.push({ sessionId, resolve, reject }));

  resolveNext(offset: number): void {
    this.waiting.shift()?.resolve({ data: `screen@${offset}`, cols: 80, rows: 24, offset });
  }

  rejectNext(message: string): void {
    this.waiting.shift()?.reject(new Error(message));
  }
}

/** Lets settled snapshots be handled, then sends whatever output is batched. */
async function settle(client: Client): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  client.flush();
}

function output(offset: number, text: string, sessionId = 's1'): SessionOutputEvent {
  const bytes = Buffer.from(text);
  return { type: 'session:output', sessionId, seq: 0, offset, bytes, data: text, timestamp: new Date() };
}

describe('WebSocket client state', () => {
  const clients: Client[] = [];

  function setUp(): { socket: RecordingSocket; snapshots: ManualSnapshots; client: Client } {
    const socket = new RecordingSocket();
    const snapshots = new ManualSnapshots();
    const client = new Client(socket as unknown as WebSocket, snapshots.take);
    clients.push(client);
    return { socket, snapshots, client };
  }

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  it('holds output while the snapshot is taken, then sends it from the snapshot offset on', async () => {
    const { socket, snapshots, client } = setUp();
    client.subscribe('s1');
    client.queueOutput(output(0, 'aaaa')); // Wholly on the snapshot: dropped.
    client.queueOutput(output(4, 'bbbb')); // Straddles the snapshot's end: cut.
    client.queueOutput(output(8, 'cccc'));
    await settle(client);
    expect(socket.sent.map((m) => m.type)).toEqual(['subscribed']);

    snapshots.resolveNext(6);
    await pollUntil(() => socket.outputs().length > 0);
    client.queueOutput(output(12, 'dd'));
    await pollUntil(() => socket.outputs().reduce((n, o) => n + o.bytes.length, 0) === 8);

    expect(socket.sent[1]).toEqual({
      type: 'snapshot',
      sessionId: 's1',
      offset: 6,
      cols: 80,
      rows: 24,
      data: 'screen@6',
    });
    const batches = socket.outputs();
    expect(batches[0]?.offset).toBe(6);
    expect(Buffer.concat(batches.map((b) => b.bytes)).toString()).toBe('bbccccdd');
    let offset = 6;
    for (const batch of batches) {
      expect(batch.offset).toBe(offset);
      offset += batch.bytes.length;
    }
  });

  it('drops a stale snapshot after unsubscribe or a new subscribe', async () => {
    const { socket, snapshots, client } = setUp();
    client.subscribe('s1');
    client.subscribe('s1');
    snapshots.resolveNext(3); // For the first subscription: ignored.
    client.queueOutput(output(5, 'xx'));
    snapshots.resolveNext(5);
    await pollUntil(() => socket.outputs().length === 1);
    expect(socket.sent.filter((m) => m.type === 'snapshot').map((m) => m.offset)).toEqual([5]);
    expect(socket.outputs()).toEqual([{ offset: 5, bytes: Buffer.from('xx') }]);

    client.unsubscribe('s1');
    client.subscribe('s2');
    client.unsubscribe('s2');
    snapshots.resolveNext(0);
    client.queueOutput(output(0, 'ignored', 's2'));
    await settle(client);
    expect(socket.sent.filter((m) => m.sessionId === 's2').map((m) => m.type)).toEqual(['subscribed']);
  });

  it('reports a failed snapshot as an error and follows nothing', async () => {
    const { socket, snapshots, client } = setUp();
    client.subscribe('s1');
    snapshots.rejectNext('database is locked');
    await pollUntil(() => socket.sent.some((m) => m.type === 'error'));
    expect(socket.sent.at(-1)).toEqual({
      type: 'error',
      sessionId: 's1',
      message: 'Could not read the screen: database is locked',
    });
    client.queueOutput(output(0, 'after'));
    await settle(client);
    expect(socket.outputs()).toEqual([]);
  });

  it('stops holding (overflow) when output held for a pending snapshot passes the limit', async () => {
    const { socket, snapshots, client } = setUp();
    client.subscribe('s1');
    const chunk = 'x'.repeat(1024 * 1024);
    let offset = 100;
    for (let i = 0; i < WS_MAX_BUFFERED_BYTES / chunk.length + 1; i++) {
      client.queueOutput(output(offset, chunk));
      offset += chunk.length;
    }
    expect(socket.sent.at(-1)).toEqual({ type: 'overflow', sessionId: 's1', resumeOffset: 100 });
    // Nothing more for this subscription, not even its snapshot.
    snapshots.resolveNext(100);
    client.queueOutput(output(offset, 'more'));
    await settle(client);
    expect(socket.sent.map((m) => m.type)).toEqual(['subscribed', 'overflow']);

    // Subscribing again starts over.
    client.subscribe('s1');
    snapshots.resolveNext(offset);
    client.queueOutput(output(offset, 'fresh'));
    await pollUntil(() => socket.outputs().length === 1);
    expect(socket.outputs()).toEqual([{ offset, bytes: Buffer.from('fresh') }]);
  });

  it('stops sending (overflow) when the socket falls behind, resuming from the first unsent byte', async () => {
    const { socket, snapshots, client } = setUp();
    client.subscribe('s1');
    snapshots.resolveNext(0);
    await pollUntil(() => socket.sent.some((m) => m.type === 'snapshot'));
    client.queueOutput(output(0, 'queued'));
    socket.bufferedAmount = WS_MAX_BUFFERED_BYTES + 1;
    client.queueOutput(output(6, 'late'));
    expect(socket.sent.at(-1)).toEqual({ type: 'overflow', sessionId: 's1', resumeOffset: 0 });
    await settle(client);
    expect(socket.outputs()).toEqual([]);
  });
});
