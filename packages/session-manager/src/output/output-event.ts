import type { SessionOutputEvent } from '@gsd/core';

/**
 * A `session:output` event whose `data` is decoded only when read: most consumers want the bytes,
 * and decoding every chunk of a flood into strings nobody reads costs memory and time.
 */
export class OutputEvent implements SessionOutputEvent {
  readonly type = 'session:output' as const;
  private text: string | undefined;

  constructor(
    readonly sessionId: string,
    readonly seq: number,
    readonly offset: number,
    readonly bytes: Buffer,
    readonly timestamp: Date,
    /** The start of a character cut off at the end of the previous chunk. */
    private readonly carry: Buffer,
    /** Bytes at the end of this chunk that start a character completed by the next one. */
    private readonly incomplete: number,
  ) {}

  /** The bytes as UTF-8 text, with characters split across chunks kept whole. */
  get data(): string {
    if (this.text === undefined) {
      const whole = this.carry.length === 0 ? this.bytes : Buffer.concat([this.carry, this.bytes]);
      this.text = whole.toString('utf8', 0, whole.length - this.incomplete);
    }
    return this.text;
  }

  toJSON(): Omit<SessionOutputEvent, 'bytes'> & { bytes: string } {
    return {
      type: this.type,
      sessionId: this.sessionId,
      seq: this.seq,
      offset: this.offset,
      bytes: this.bytes.toString('base64'),
      data: this.data,
      timestamp: this.timestamp,
    };
  }
}
