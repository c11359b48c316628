/** Keeps the most recent `limit` bytes of a stream; older bytes are dropped. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  private droppedBytes = 0;

  constructor(readonly limit: number) {}

  push(bytes: Buffer): void {
    this.chunks.push(bytes);
    this.size += bytes.length;
    while (this.size > this.limit) {
      const first = this.chunks[0] as Buffer;
      const excess = this.size - this.limit;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
        this.droppedBytes += first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
        this.droppedBytes += excess;
      }
    }
  }

  /** The kept bytes and the stream offset of the first of them. */
  read(): { bytes: Buffer; fromOffset: number } {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return { bytes: this.chunks[0] ?? Buffer.alloc(0), fromOffset: this.droppedBytes };
  }
}
