/**
 * The wire format between a session host and its clients, on a Unix stream socket: frames of
 * `u32 length (big-endian) | u8 kind | body`, where `length` counts the kind byte and the body.
 */

export const PROTOCOL_VERSION = 1;

/** A JSON message (UTF-8). */
export const FRAME_JSON = 0;
/** Output: a 6-byte big-endian offset into the session's output stream, then the bytes. */
export const FRAME_OUTPUT = 1;
/** Input for the session's process, as raw bytes. */
export const FRAME_INPUT = 2;

/** The largest frame accepted; anything bigger is a protocol error and closes the connection. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;
const HEADER_BYTES = 5;
const OFFSET_BYTES = 6;

export type ClientRole =
  /** The harness that runs the session: one at a time; receives output, exit and size changes. */
  | 'controller'
  /** A terminal attached with `gsd-harness attach`: receives output, sends keys and its size. */
  | 'viewer'
  /** A one-shot request (terminate, status): receives no output. */
  | 'command';

export type ClientMessage =
  | { type: 'hello'; version: number; role: ClientRole; nonce: string; pid: number }
  | { type: 'resize'; cols: number; rows: number }
  | { type: 'terminate' }
  | { type: 'kill' }
  | { type: 'end-input' };

/** A session's end as the host recorded it. */
export interface HostExit {
  status: 'completed' | 'failed';
  exitCode: number | null;
  signal: string | null;
  failureReason: string | null;
  outputBytes: number;
}

export type HostMessage =
  | {
      type: 'welcome';
      version: number;
      sessionId: string;
      /** HMAC-SHA256 of the client's nonce and the session id, keyed with the session's host secret. */
      proof: string;
      hostPid: number;
      /** Output before this offset is stored in the database; output frames continue from it. */
      outputBytes: number;
      cols: number | null;
      rows: number | null;
    }
  | { type: 'exit'; exit: HostExit }
  | { type: 'resized'; cols: number; rows: number }
  | { type: 'error'; code: string; message: string };

export type Frame =
  | { kind: typeof FRAME_JSON; message: unknown }
  | { kind: typeof FRAME_OUTPUT; offset: number; bytes: Buffer }
  | { kind: typeof FRAME_INPUT; bytes: Buffer };

function frame(kind: number, body: Buffer, prefix?: Buffer): Buffer {
  const prefixLength = prefix?.length ?? 0;
  const header = Buffer.allocUnsafe(HEADER_BYTES + prefixLength);
  header.writeUInt32BE(1 + prefixLength + body.length, 0);
  header.writeUInt8(kind, 4);
  if (prefix !== undefined) prefix.copy(header, HEADER_BYTES);
  return Buffer.concat([header, body]);
}

export function encodeJson(message: ClientMessage | HostMessage): Buffer {
  return frame(FRAME_JSON, Buffer.from(JSON.stringify(message), 'utf8'));
}

export function encodeOutput(offset: number, bytes: Uint8Array): Buffer {
  const prefix = Buffer.allocUnsafe(OFFSET_BYTES);
  prefix.writeUIntBE(offset, 0, OFFSET_BYTES);
  return frame(FRAME_OUTPUT, Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes), prefix);
}

export function encodeInput(bytes: Uint8Array): Buffer {
  return frame(FRAME_INPUT, Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes));
}

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

/** Splits a byte stream into frames; throws ProtocolError on a malformed or oversized frame. */
export class FrameDecoder {
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;

  /** Adds `chunk` and returns the frames now complete (at most `limit`; the rest stay held). */
  push(chunk: Buffer, limit = Infinity): Frame[] {
    if (chunk.length > 0) this.buffered.push(chunk);
    this.bufferedBytes += chunk.length;
    const frames: Frame[] = [];
    if (this.buffered.length === 0) return frames;
    let data = this.buffered.length === 1 ? (this.buffered[0] as Buffer) : Buffer.concat(this.buffered);
    let position = 0;
    while (frames.length < limit && data.length - position >= HEADER_BYTES) {
      const length = data.readUInt32BE(position);
      if (length < 1 || length > MAX_FRAME_BYTES) {
        throw new ProtocolError(`Frame of ${length} bytes (expected 1 to ${MAX_FRAME_BYTES})`);
      }
      if (data.length - position < 4 + length) break;
      const kind = data.readUInt8(position + 4);
      const body = data.subarray(position + HEADER_BYTES, position + 4 + length);
      frames.push(decodeFrame(kind, body));
      position += 4 + length;
    }
    data = data.subarray(position);
    this.buffered = data.length === 0 ? [] : [data];
    this.bufferedBytes = data.length;
    return frames;
  }

  /** Bytes of an incomplete frame held. */
  get pendingBytes(): number {
    return this.bufferedBytes;
  }
}

function decodeFrame(kind: number, body: Buffer): Frame {
  switch (kind) {
    case FRAME_JSON:
      try {
        return { kind, message: JSON.parse(body.toString('utf8')) as unknown };
      } catch {
        throw new ProtocolError('Malformed JSON frame');
      }
    case FRAME_OUTPUT:
      if (body.length < OFFSET_BYTES) throw new ProtocolError('Output frame without an offset');
      // A view: socket reads arrive in buffers of their own that nothing reuses.
      return { kind, offset: body.readUIntBE(0, OFFSET_BYTES), bytes: body.subarray(OFFSET_BYTES) };
    case FRAME_INPUT:
      return { kind, bytes: body };
    default:
      throw new ProtocolError(`Unknown frame kind ${kind}`);
  }
}
