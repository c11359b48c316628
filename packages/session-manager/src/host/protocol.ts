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

function header(kind: number, bodyBytes: number, prefix?: Buffer): Buffer {
  const prefixLength = prefix?.length ?? 0;
  const head = Buffer.allocUnsafe(HEADER_BYTES + prefixLength);
  head.writeUInt32BE(1 + prefixLength + bodyBytes, 0);
  head.writeUInt8(kind, 4);
  if (prefix !== undefined) prefix.copy(head, HEADER_BYTES);
  return head;
}

function frame(kind: number, body: Uint8Array, prefix?: Buffer): Buffer {
  return Buffer.concat([header(kind, body.length, prefix), body]);
}

export function encodeJson(message: ClientMessage | HostMessage): Buffer {
  return frame(FRAME_JSON, Buffer.from(JSON.stringify(message), 'utf8'));
}

/**
 * One output frame for consecutive chunks of the session's output, the first at `offset`: a single
 * copy, however many chunks. Together they must fit in MAX_FRAME_BYTES.
 */
export function encodeOutput(offset: number, chunks: Uint8Array | readonly Uint8Array[]): Buffer {
  const parts = chunks instanceof Uint8Array ? [chunks] : chunks;
  let bodyBytes = 0;
  for (const part of parts) bodyBytes += part.length;
  if (1 + OFFSET_BYTES + bodyBytes > MAX_FRAME_BYTES) {
    throw new RangeError(`Output frame of ${bodyBytes} bytes exceeds ${MAX_FRAME_BYTES}`);
  }
  const prefix = Buffer.allocUnsafe(OFFSET_BYTES);
  prefix.writeUIntBE(offset, 0, OFFSET_BYTES);
  const head = header(FRAME_OUTPUT, bodyBytes, prefix);
  return Buffer.concat([head, ...parts], head.length + bodyBytes);
}

export function encodeInput(bytes: Uint8Array): Buffer {
  return frame(FRAME_INPUT, bytes);
}

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

/**
 * Splits a byte stream into frames; throws ProtocolError on a malformed or oversized frame. Chunks
 * are kept as they arrive until a whole frame is there, so each byte is copied at most once.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private bufferedBytes = 0;

  /** Adds `chunk` and returns the frames now complete (at most `limit`; the rest stay held). */
  push(chunk: Buffer, limit = Infinity): Frame[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.bufferedBytes += chunk.length;
    }
    const frames: Frame[] = [];
    while (frames.length < limit && this.bufferedBytes >= HEADER_BYTES) {
      const length = this.peekLength();
      if (length < 1 || length > MAX_FRAME_BYTES) {
        throw new ProtocolError(`Frame of ${length} bytes (expected 1 to ${MAX_FRAME_BYTES})`);
      }
      if (this.bufferedBytes < 4 + length) break;
      const data = this.take(4 + length);
      frames.push(decodeFrame(data.readUInt8(4), data.subarray(HEADER_BYTES)));
    }
    return frames;
  }

  /** Bytes of an incomplete frame held. */
  get pendingBytes(): number {
    return this.bufferedBytes;
  }

  /** The length field of the next frame (the held bytes include its header). */
  private peekLength(): number {
    while ((this.chunks[0] as Buffer).length < 4) {
      const [first, second, ...rest] = this.chunks as [Buffer, Buffer, ...Buffer[]];
      this.chunks = [Buffer.concat([first, second]), ...rest];
    }
    return (this.chunks[0] as Buffer).readUInt32BE(0);
  }

  /** Removes the next `bytes` held bytes: a view when they lie in one chunk, else one copy. */
  private take(bytes: number): Buffer {
    this.bufferedBytes -= bytes;
    const first = this.chunks[0] as Buffer;
    if (first.length >= bytes) {
      if (first.length === bytes) this.chunks.shift();
      else this.chunks[0] = first.subarray(bytes);
      return first.subarray(0, bytes);
    }
    const out = Buffer.allocUnsafe(bytes);
    let filled = 0;
    let used = 0;
    while (filled < bytes) {
      const next = this.chunks[used] as Buffer;
      const wanted = bytes - filled;
      if (next.length <= wanted) {
        next.copy(out, filled);
        filled += next.length;
        used++;
      } else {
        next.copy(out, filled, 0, wanted);
        filled += wanted;
        this.chunks[used] = next.subarray(wanted);
      }
    }
    this.chunks.splice(0, used);
    return out;
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
