import { describe, expect, it } from 'vitest';
import {
  encodeInput,
  encodeJson,
  encodeOutput,
  FRAME_INPUT,
  FRAME_JSON,
  FRAME_OUTPUT,
  FrameDecoder,
  MAX_FRAME_BYTES,
  ProtocolError,
  type Frame,
} from '../../src/host/protocol.js';

/** A stream of frames of every kind, one of them larger than a typical socket read. */
function sampleStream(): { bytes: Buffer; large: Buffer } {
  const large = Buffer.alloc(200_000);
  for (let i = 0; i < large.length; i++) large[i] = (i * 31) % 251;
  const bytes = Buffer.concat([
    encodeJson({ type: 'resize', cols: 80, rows: 24 }),
    encodeOutput(0, Buffer.from('hello ')),
    encodeOutput(6, [Buffer.from('wor'), Buffer.from('ld'), new Uint8Array(0), Buffer.from('!')]),
    encodeInput(Buffer.from([0x1b, 0x5b, 0x41])),
    encodeOutput(12, large),
    encodeJson({ type: 'terminate' }),
  ]);
  return { bytes, large };
}

function describeFrames(frames: Frame[]): unknown[] {
  return frames.map((frame) =>
    frame.kind === FRAME_JSON
      ? { json: frame.message }
      : frame.kind === FRAME_OUTPUT
        ? { output: frame.offset, bytes: Buffer.from(frame.bytes).toString('base64') }
        : { input: Buffer.from(frame.bytes).toString('base64') },
  );
}

describe('host protocol frames', () => {
  it('joins several chunks into one output frame at the first offset', () => {
    const frames = new FrameDecoder().push(encodeOutput(6, [Buffer.from('wor'), Buffer.from('ld!')]));
    expect(frames).toHaveLength(1);
    const [frame] = frames;
    expect(frame?.kind).toBe(FRAME_OUTPUT);
    if (frame?.kind !== FRAME_OUTPUT) return;
    expect(frame.offset).toBe(6);
    expect(frame.bytes.toString()).toBe('world!');
  });

  it('decodes the same frames however the stream is split into reads', () => {
    const { bytes, large } = sampleStream();
    const whole = describeFrames(new FrameDecoder().push(bytes));
    expect(whole).toHaveLength(6);
    expect(whole[4]).toEqual({ output: 12, bytes: large.toString('base64') });
    expect(whole[5]).toEqual({ json: { type: 'terminate' } });

    for (const size of [1, 2, 3, 4, 5, 7, 11, 4096, 65_536]) {
      const decoder = new FrameDecoder();
      const frames: Frame[] = [];
      for (let at = 0; at < bytes.length; at += size)
        frames.push(...decoder.push(bytes.subarray(at, at + size)));
      expect(describeFrames(frames), `reads of ${size} bytes`).toEqual(whole);
      expect(decoder.pendingBytes).toBe(0);
    }
  });

  it('splits the stream at every position of its header', () => {
    const { bytes } = sampleStream();
    const whole = describeFrames(new FrameDecoder().push(bytes));
    for (let cut = 0; cut <= 40; cut++) {
      const decoder = new FrameDecoder();
      const frames = [...decoder.push(bytes.subarray(0, cut)), ...decoder.push(bytes.subarray(cut))];
      expect(describeFrames(frames), `cut at ${cut}`).toEqual(whole);
    }
  });

  it('returns at most `limit` frames and keeps the rest for the next push', () => {
    const { bytes } = sampleStream();
    const decoder = new FrameDecoder();
    const first = decoder.push(bytes, 1);
    expect(first).toHaveLength(1);
    expect(first[0]?.kind).toBe(FRAME_JSON);
    expect(decoder.pendingBytes).toBe(
      bytes.length - encodeJson({ type: 'resize', cols: 80, rows: 24 }).length,
    );
    const rest = decoder.push(Buffer.alloc(0));
    expect(rest.map((frame) => frame.kind)).toEqual([
      FRAME_OUTPUT,
      FRAME_OUTPUT,
      FRAME_INPUT,
      FRAME_OUTPUT,
      FRAME_JSON,
    ]);
    expect(decoder.pendingBytes).toBe(0);
  });

  it('rejects a frame longer than the limit before its body arrives', () => {
    const header = Buffer.alloc(5);
    header.writeUInt32BE(MAX_FRAME_BYTES + 1, 0);
    expect(() => new FrameDecoder().push(header)).toThrow(ProtocolError);
    expect(() => encodeOutput(0, Buffer.alloc(MAX_FRAME_BYTES))).toThrow(RangeError);
  });

  it('rejects an unknown kind and malformed JSON', () => {
    const unknown = Buffer.from([0, 0, 0, 2, 9, 0]);
    expect(() => new FrameDecoder().push(unknown)).toThrow(/Unknown frame kind 9/);
    const json = Buffer.from([0, 0, 0, 3, FRAME_JSON, 0x7b, 0x7b]);
    expect(() => new FrameDecoder().push(json)).toThrow(/Malformed JSON/);
  });
});
