import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { SessionCompletedEvent, SessionFailedEvent } from '@gsd/core';
import { DatabaseConnection } from '../db/database.js';
import { OutputStore } from '../db/output-store.js';
import { OutputWriter } from '../db/output-writer.js';
import { OwnerStore } from '../db/owner-store.js';
import { SessionStore } from '../db/session-store.js';
import { isSessionError } from '../errors.js';
import { SessionManager } from '../session-manager.js';
import { hostProof } from './host-address.js';
import type { HostSpec } from './host-spec.js';
import {
  encodeInput,
  encodeJson,
  encodeOutput,
  FRAME_INPUT,
  FRAME_JSON,
  FrameDecoder,
  PROTOCOL_VERSION,
  type ClientMessage,
  type ClientRole,
  type HostExit,
  type HostMessage,
} from './protocol.js';

/** Output queued for the controlling harness that pauses the session's process until it drains. */
export const CONTROLLER_HIGH_WATER_BYTES = 8 * 1024 * 1024;
/** Output a terminal may fall behind by before it is disconnected (it can attach again). */
export const VIEWER_MAX_BEHIND_BYTES = 8 * 1024 * 1024;
/** Between attempts to record the session's end while the database refuses it. */
const FINAL_RETRY_MS = 500;
/** Attempts before the host gives up recording the end (recovery then marks the session failed). */
const FINAL_ATTEMPTS = 240;
/** How long the host waits for the harness that started it before starting the session alone. */
export const FIRST_CONTROLLER_WAIT_MS = 5_000;
/** How long clients have to close their end after being told the session ended. */
const CLIENT_CLOSE_WAIT_MS = 1_000;
/** How long a client has to say hello before it is disconnected. */
const HELLO_TIMEOUT_MS = 5_000;
/**
 * How long output waits before it goes to attached clients: a flood then goes out in a few large
 * frames rather than one per read of the terminal, and a prompt still shows at once to a person.
 */
export const FANOUT_DELAY_MS = 5;
/** Output waiting for clients that goes out at once, without waiting for FANOUT_DELAY_MS. */
export const FANOUT_MAX_BYTES = 256 * 1024;

interface Client {
  socket: Socket;
  /** Null until hello; `pending` while the hello is answered. */
  role: ClientRole | 'pending' | null;
  decoder: FrameDecoder;
}

function log(message: string): void {
  process.stderr.write(`${new Date().toISOString()} ${message}\n`);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs one durable session: owns its process (PTY or pipes), records its output and end in the
 * database itself, and serves a Unix socket through which harnesses and terminals attach.
 */
export class SessionHost {
  private readonly connection: DatabaseConnection;
  private readonly sessions: SessionStore;
  private readonly owners: OwnerStore;
  private readonly writer: OutputWriter;
  private readonly manager: SessionManager;
  private readonly server: Server;
  private readonly clients = new Set<Client>();
  /** Every open connection, including clients that have ended their side and left `clients`. */
  private readonly sockets = new Set<Socket>();
  private readonly ownerId = randomUUID();
  private controller: Client | null = null;
  private controllerPaused = false;
  /** Output not yet sent to clients: consecutive chunks from `fanoutOffset`. */
  private fanout: Uint8Array[] = [];
  private fanoutOffset = 0;
  private fanoutBytes = 0;
  private fanoutTimer: NodeJS.Timeout | undefined;
  private started: Promise<void> | null = null;
  private firstControllerTimer: NodeJS.Timeout | undefined;
  private exit: HostExit | null = null;
  private resolveDone: () => void = () => {};
  /** Resolves once the session's end is recorded and every client has been told. */
  readonly done = new Promise<void>((resolve) => {
    this.resolveDone = resolve;
  });

  constructor(private readonly spec: HostSpec) {
    this.connection = new DatabaseConnection(spec.dbPath);
    this.sessions = new SessionStore(this.connection);
    this.owners = new OwnerStore(this.connection);
    this.writer = new OutputWriter(new OutputStore(this.connection), {
      flushIntervalMs: spec.flushIntervalMs,
      maxPendingBytes: spec.maxPendingBytes,
      onError: (error) => log(`output write failed (kept and retried): ${String(error)}`),
    });
    this.manager = new SessionManager({
      maxSessions: 1,
      ownerId: this.ownerId,
      terminateGraceMs: spec.terminateGraceMs,
      drainIdleMs: spec.drainIdleMs,
      drainMaxMs: spec.drainMaxMs,
      // Output is read back from the database; the host keeps none of it.
      outputBufferBytes: 0,
    });
    this.server = createServer((socket) => this.accept(socket));
  }

  /**
   * Listens on the socket. The session's process starts when the harness that asked for it attaches
   * (so that it receives every byte live), or after FIRST_CONTROLLER_WAIT_MS without one.
   */
  async start(): Promise<void> {
    this.owners.register(this.ownerId);
    await this.listen();
    this.manager.on('session:started', (event) => {
      this.sessions.create(
        { ...event.session, slot: this.spec.slot, durable: true },
        { socketPath: this.spec.socketPath, secret: this.spec.secret },
      );
      if (this.controller === null) this.recordDetached(new Date());
    });
    this.manager.on('session:output', (event) => {
      this.writer.push(event);
      if (this.clients.size > 0) this.queueFanout(event.offset, event.bytes);
    });
    this.manager.on('session:completed', (event) => void this.finish(event));
    this.manager.on('session:failed', (event) => void this.finish(event));
    this.firstControllerTimer = setTimeout(() => {
      void this.startSession().catch(() => {});
    }, FIRST_CONTROLLER_WAIT_MS);
  }

  /** Starts the session's process once; a failure ends the host. */
  private startSession(): Promise<void> {
    this.started ??= (async () => {
      clearTimeout(this.firstControllerTimer);
      const { spec } = this;
      try {
        await this.manager.spawn(spec.workingDir, spec.command, {
          pty: spec.pty,
          cols: spec.cols,
          rows: spec.rows,
          env: spec.env,
          sessionId: spec.sessionId,
          agentSessionId: spec.agentSessionId,
          resumedFrom: spec.resumedFrom,
        });
      } catch (error) {
        log(`could not start the session: ${String(error)}`);
        setImmediate(() => void this.shutdown());
        throw error;
      }
    })();
    return this.started;
  }

  /** Ends the session (SIGTERM to its process group, then SIGKILL), as a harness would. */
  terminate(): void {
    if (this.manager.getSession(this.spec.sessionId)?.endedAt === null) {
      void this.manager.terminate(this.spec.sessionId);
    }
  }

  private listen(): Promise<void> {
    // Owner only from the moment the socket exists; the session's process gets the usual umask back.
    const umask = process.umask(0o177);
    return new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.spec.socketPath, () => {
        this.server.off('error', reject);
        resolve();
      });
    }).finally(() => process.umask(umask));
  }

  private accept(socket: Socket): void {
    const client: Client = { socket, role: null, decoder: new FrameDecoder() };
    this.clients.add(client);
    this.sockets.add(socket);
    const helloTimer = setTimeout(() => socket.destroy(), HELLO_TIMEOUT_MS);
    socket.on('data', (chunk: Buffer) => {
      let frames;
      try {
        frames = client.decoder.push(chunk);
      } catch (error) {
        this.reply(client, { type: 'error', code: 'PROTOCOL', message: (error as Error).message });
        socket.end();
        return;
      }
      for (const frame of frames) {
        if (frame.kind === FRAME_JSON) {
          if (client.role === null) clearTimeout(helloTimer);
          this.handleMessage(client, frame.message as ClientMessage);
        } else if (frame.kind === FRAME_INPUT && (client.role === 'controller' || client.role === 'viewer')) {
          this.input(client, frame.bytes);
        }
      }
    });
    socket.on('drain', () => {
      if (client === this.controller && this.controllerPaused) {
        this.controllerPaused = false;
        if (this.exit === null) this.manager.resume(this.spec.sessionId);
      }
    });
    socket.on('error', () => {});
    // A client that ends its side is gone: a harness restarting at once may attach right after.
    socket.once('end', () => this.drop(client));
    socket.once('close', () => {
      clearTimeout(helloTimer);
      this.sockets.delete(socket);
      this.drop(client);
    });
  }

  private drop(client: Client): void {
    if (!this.clients.delete(client)) return;
    if (client !== this.controller) return;
    this.controller = null;
    if (this.controllerPaused) {
      this.controllerPaused = false;
      if (this.exit === null) this.manager.resume(this.spec.sessionId);
    }
    if (this.exit === null) this.recordDetached(new Date());
  }

  private handleMessage(client: Client, message: ClientMessage): void {
    if (client.role === null) {
      if (message?.type !== 'hello') {
        this.reject(client, 'PROTOCOL', 'Expected a hello message first');
        return;
      }
      client.role = 'pending';
      void this.greet(client, message);
      return;
    }
    if (client.role === 'pending') return;
    switch (message?.type) {
      case 'resize':
        this.resize(client, message.cols, message.rows);
        return;
      case 'terminate':
      case 'kill':
        this.terminate();
        return;
      case 'end-input':
        if (this.exit === null) this.manager.endInput(this.spec.sessionId);
        return;
      default:
        this.reply(client, { type: 'error', code: 'PROTOCOL', message: 'Unknown message' });
    }
  }

  private async greet(client: Client, hello: Extract<ClientMessage, { type: 'hello' }>): Promise<void> {
    if (hello.version !== PROTOCOL_VERSION) {
      this.reject(client, 'VERSION', `This host speaks protocol ${PROTOCOL_VERSION}, not ${hello.version}`);
      return;
    }
    if (!['controller', 'viewer', 'command'].includes(hello.role) || typeof hello.nonce !== 'string') {
      this.reject(client, 'PROTOCOL', 'Expected a role and a nonce in hello');
      return;
    }
    if (hello.role === 'controller' && this.controller !== null && this.exit === null) {
      this.reject(client, 'BUSY', 'Another harness process is attached to this session');
      return;
    }
    // Claimed before the session starts, so that a second controller is turned away meanwhile.
    if (hello.role === 'controller') this.controller = client;
    try {
      await this.startSession();
    } catch (error) {
      this.reject(client, isSessionError(error) ? error.code : 'SPAWN_FAILED', (error as Error).message);
      return;
    }
    if (client.socket.destroyed) return;
    try {
      // Everything before the offset in the welcome is then in the database.
      this.writer.flush();
    } catch (error) {
      // A one-shot request (terminate) needs no output; a viewer or harness would miss some.
      if (hello.role !== 'command') {
        this.reject(client, 'STORAGE', `Could not store the output so far: ${(error as Error).message}`);
        return;
      }
    }
    // Output queued for the others is before the welcome's offset: it is not this client's.
    this.flushFanout();
    const session = this.manager.getSession(this.spec.sessionId);
    client.role = hello.role;
    this.reply(client, {
      type: 'welcome',
      version: PROTOCOL_VERSION,
      sessionId: this.spec.sessionId,
      proof: hostProof(this.spec.secret, hello.nonce, this.spec.sessionId),
      hostPid: process.pid,
      outputBytes: this.exit?.outputBytes ?? session?.outputBytes ?? 0,
      cols: session?.cols ?? null,
      rows: session?.rows ?? null,
    });
    if (this.exit !== null) {
      this.reply(client, { type: 'exit', exit: this.exit });
      client.socket.end();
      return;
    }
    if (hello.role === 'controller') this.recordDetached(null);
  }

  private input(from: Client, bytes: Buffer): void {
    if (this.exit !== null) return;
    try {
      this.manager.sendInput(this.spec.sessionId, bytes);
    } catch {
      // The session is ending; input is no longer taken.
      return;
    }
    // The harness records keys typed in a terminal that answer a checkpoint (after the output before them).
    const controller = this.controller;
    if (from !== controller && controller?.role === 'controller') {
      this.flushFanout();
      this.send(controller, encodeInput(bytes));
    }
  }

  private resize(from: Client, cols: unknown, rows: unknown): void {
    if (this.exit !== null || from.role === 'command') return;
    try {
      this.manager.resize(this.spec.sessionId, cols as number, rows as number);
    } catch (error) {
      this.reply(from, { type: 'error', code: 'INVALID_ARGUMENT', message: (error as Error).message });
      return;
    }
    const session = this.manager.getSession(this.spec.sessionId);
    if (session?.cols == null || session.rows === null) return;
    try {
      this.sessions.update(this.spec.sessionId, { cols: session.cols, rows: session.rows });
    } catch (error) {
      log(`could not record the new terminal size: ${String(error)}`);
    }
    // The harness keeps a screen of its own at the session's size, from this point of the output on.
    if (this.controller?.role === 'controller' && this.controller !== from) {
      this.flushFanout();
      this.reply(this.controller, { type: 'resized', cols: session.cols, rows: session.rows });
    }
  }

  /** Queues output for the attached clients; it goes out after FANOUT_DELAY_MS or once enough waits. */
  private queueFanout(offset: number, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (
      this.fanoutBytes > 0 &&
      (this.fanoutOffset + this.fanoutBytes !== offset || this.fanoutBytes + bytes.length > FANOUT_MAX_BYTES)
    ) {
      this.flushFanout();
    }
    if (bytes.length > FANOUT_MAX_BYTES) {
      // Larger than any frame this host sends: in pieces, at once.
      for (let at = 0; at < bytes.length; at += FANOUT_MAX_BYTES) {
        this.queueFanout(offset + at, bytes.subarray(at, at + FANOUT_MAX_BYTES));
      }
      return;
    }
    if (this.fanoutBytes === 0) {
      this.fanoutOffset = offset;
      this.fanoutTimer = setTimeout(() => this.flushFanout(), FANOUT_DELAY_MS);
    }
    this.fanout.push(bytes);
    this.fanoutBytes += bytes.length;
    if (this.fanoutBytes >= FANOUT_MAX_BYTES) this.flushFanout();
  }

  /** Sends the queued output to every client that receives output, as one frame. */
  private flushFanout(): void {
    if (this.fanoutBytes === 0) return;
    clearTimeout(this.fanoutTimer);
    const frame = encodeOutput(this.fanoutOffset, this.fanout);
    this.fanout = [];
    this.fanoutBytes = 0;
    for (const client of this.clients) {
      if (client.role === 'controller' || client.role === 'viewer') this.send(client, frame);
    }
  }

  private send(client: Client, frame: Buffer): void {
    const { socket } = client;
    if (socket.destroyed) return;
    socket.write(frame);
    if (client === this.controller) {
      if (!this.controllerPaused && socket.writableLength > CONTROLLER_HIGH_WATER_BYTES) {
        this.controllerPaused = true;
        this.manager.pause(this.spec.sessionId);
      }
    } else if (socket.writableLength > VIEWER_MAX_BEHIND_BYTES) {
      this.reply(client, {
        type: 'error',
        code: 'BEHIND',
        message: `Fell more than ${VIEWER_MAX_BEHIND_BYTES} bytes behind the session's output; attach again`,
      });
      socket.destroySoon();
    }
  }

  private reply(client: Client, message: HostMessage): void {
    if (!client.socket.destroyed) client.socket.write(encodeJson(message));
  }

  private reject(client: Client, code: string, message: string): void {
    this.reply(client, { type: 'error', code, message });
    client.socket.end();
  }

  private recordDetached(since: Date | null): void {
    try {
      this.sessions.setHostDetached(this.spec.sessionId, since);
    } catch (error) {
      log(`could not record whether a harness is attached: ${String(error)}`);
    }
  }

  /** Records the end (output first), tells every client, and closes. */
  private async finish(event: SessionCompletedEvent | SessionFailedEvent): Promise<void> {
    const { session } = event;
    const exit: HostExit = {
      status: session.status as HostExit['status'],
      exitCode: session.exitCode,
      signal: session.signal,
      failureReason: session.failureReason,
      outputBytes: session.outputBytes,
    };
    for (let attempt = 1; ; attempt++) {
      try {
        this.writer.flush();
        this.connection.durably(() =>
          this.sessions.update(session.id, {
            status: session.status,
            endedAt: session.endedAt,
            exitCode: session.exitCode,
            signal: session.signal,
            failureReason: session.failureReason,
            outputBytes: session.outputBytes,
          }),
        );
        break;
      } catch (error) {
        log(`could not record the session's end (attempt ${attempt}): ${String(error)}`);
        if (attempt >= FINAL_ATTEMPTS) break;
        await sleep(FINAL_RETRY_MS);
      }
    }
    this.exit = exit;
    this.flushFanout();
    for (const client of this.clients) {
      if (client.role !== null) this.reply(client, { type: 'exit', exit });
      client.socket.end();
    }
    await this.shutdown();
  }

  private async shutdown(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Clients were told and asked to close; one that does not is cut off.
    const cutOff = setTimeout(() => {
      for (const socket of this.sockets) socket.destroy();
    }, CLIENT_CLOSE_WAIT_MS);
    await closed;
    clearTimeout(cutOff);
    rmSync(this.spec.socketPath, { force: true });
    try {
      this.writer.close();
      this.owners.markClosed(this.ownerId);
    } catch (error) {
      log(`could not close the session record: ${String(error)}`);
    }
    this.connection.close();
    this.resolveDone();
  }
}
