import { historySlab, type ChunkAllocator } from './chunk-slab';

/** Chunks grow to this size; a frame larger than it gets a chunk of its own size. */
export const CHUNK_BYTES = 16 * 1024;
/** Each entry starts with its frame's UTF-8 length (uint32) and its time (float64). */
const HEADER_BYTES = 12;
const TIME_AT = 4;
/** Written as the length where a chunk was left for the next one with room for a header. */
const END_OF_CHUNK = 0xffffffff;
/** A chunk takes three places in `chunks`: its buffer, where it starts and where it ends. */
const STRIDE = 3;
/** While a history holds fewer frames than this, a new chunk is sized to its one frame. */
const EXACT_FRAMES = 4;
/**
 * A busy history's chunks are at least this big: one with small bounds would otherwise allocate a
 * chunk every few frames.
 */
const MIN_BUSY_CHUNK = 2 * 1024;

/** A history's bounds, and where its chunks come from: one object shared by many histories. */
export interface HistoryLimits {
  /** Frames kept at most. */
  readonly maxEntries: number;
  /** UTF-8 bytes of frames kept at most (the newest frame is kept even when larger). */
  readonly maxBytes: number;
  /** Default: the slab every history shares (see ChunkSlab). */
  readonly allocate?: ChunkAllocator;
}

/**
 * A user's replay history: frames in chunks of off-heap memory, each preceded by a 12-byte header
 * (its length and time) in the same chunk. Keeping each frame as a JS string would leave the
 * garbage collector thousands of long-lived objects per busy user to copy and promote, which
 * showed as p99 latency spikes under load; here a stream costs one small array and a few buffers,
 * however many frames it holds, and no index arrays: entries are found by walking the headers (a
 * replay reads them in order anyway, and a history holds a few hundred entries at most by default).
 *
 * Memory follows the content. Nothing is allocated before the first frame; a chunk is sized to
 * what the history holds with the new frame (so one small frame costs about its own bytes, and a
 * busy user's chunks double up to CHUNK_BYTES); a chunk goes once its last frame was dropped; and
 * an emptied history (every frame expired) releases everything. Small chunks are places in a slab
 * only histories share (see ChunkSlab), not Buffer objects of their own — until the history starts
 * evicting frames (a busy user), whose chunks then come on their own. Bounded by entry count and
 * by bytes; the oldest frames go first, and the newest frame is always kept, even one larger than
 * the byte bound.
 */
export class FrameHistory {
  /**
   * Chunks, oldest first, flattened as (buffer, start, end): a chunk is bytes [start, end) of its
   * buffer. The last one is written into. Undefined while empty.
   */
  private chunks: (Buffer | number)[] | undefined;
  /** Where the oldest entry starts, in the first chunk's buffer. */
  private head = 0;
  /** Where the next entry goes, in the last chunk's buffer. */
  private tail = 0;
  private count = 0;
  private frameBytes = 0;
  /**
   * Set once a chunk went while the history kept frames: frames are evicted here, not expiring
   * together, so its chunks are short-lived and never carved from the shared slab. Cleared when
   * the history empties.
   */
  private rotating = false;

  /** `limits` is kept, not copied: a user's history costs no fields of its own for them. */
  constructor(private readonly limits: HistoryLimits) {}

  /** Frames held. */
  get size(): number {
    return this.count;
  }

  /** UTF-8 bytes of the frames held. */
  get bytes(): number {
    return this.frameBytes;
  }

  /**
   * Bytes of the chunks this history keeps: its frames, their headers and the room left in its
   * chunks — what it holds off the heap. 0 when empty.
   */
  get retainedBytes(): number {
    let bytes = 0;
    const chunks = this.chunks ?? [];
    for (let c = 0; c < chunks.length; c += STRIDE)
      bytes += (chunks[c + 2] as number) - (chunks[c + 1] as number);
    return bytes;
  }

  /** Appends a frame; `length` is its UTF-8 byte length when the caller already knows it. */
  push(frame: string, ts: number, length = Buffer.byteLength(frame)): void {
    if (this.count === this.limits.maxEntries) this.dropOldest();
    const need = HEADER_BYTES + length;
    const chunks = this.chunks;
    const last = chunks && chunks.length - STRIDE;
    const buffer =
      chunks && last !== undefined && this.tail + need <= (chunks[last + 2] as number)
        ? (chunks[last] as Buffer)
        : this.addChunk(need);
    buffer.writeUInt32LE(length, this.tail);
    buffer.writeDoubleLE(ts, this.tail + TIME_AT);
    buffer.write(frame, this.tail + HEADER_BYTES, length);
    this.tail += need;
    this.count++;
    this.frameBytes += length;
    while (this.frameBytes > this.limits.maxBytes && this.count > 1) this.dropOldest();
  }

  /** Time of the oldest frame, or undefined. */
  oldestTime(): number | undefined {
    if (this.count === 0) return undefined;
    return ((this.chunks as (Buffer | number)[])[0] as Buffer).readDoubleLE(this.head + TIME_AT);
  }

  /** Calls `visit` for every frame from the `start`-th oldest (0: all), oldest first. */
  forEach(start: number, visit: (frame: string, bytes: number, index: number) => void): void {
    const chunks = this.chunks;
    if (!chunks) return;
    let c = 0;
    let at = this.head;
    for (let index = 0; index < this.count; index++) {
      if (atEnd(chunks, c, at)) {
        c += STRIDE;
        at = chunks[c + 1] as number;
      }
      const buffer = chunks[c] as Buffer;
      const length = buffer.readUInt32LE(at);
      if (index >= start) {
        const from = at + HEADER_BYTES;
        visit(buffer.toString('utf8', from, from + length), length, index);
      }
      at += HEADER_BYTES + length;
    }
  }

  /** Drops the oldest frame (expired); dropping the last one releases every chunk. */
  shift(): void {
    if (this.count === 0) return;
    this.dropOldest();
    if (this.count === 0) {
      this.chunks = undefined;
      this.head = this.tail = 0;
      this.rotating = false;
    }
  }

  /**
   * Drops the oldest frame, keeping the chunk being written into even when that was the last
   * frame: an append that evicts (with an entry bound of 1, say) writes into it again.
   */
  private dropOldest(): void {
    const chunks = this.chunks as (Buffer | number)[];
    const length = (chunks[0] as Buffer).readUInt32LE(this.head);
    this.head += HEADER_BYTES + length;
    this.frameBytes -= length;
    this.count--;
    const last = chunks.length - STRIDE;
    if (this.count === 0) {
      // Only the chunk being written into, from its start.
      if (last > 0) this.chunks = chunks.slice(last);
      this.head = this.tail = chunks[last + 1] as number;
      this.rotating = true;
    } else if (last > 0 && atEnd(chunks, 0, this.head)) {
      // A chunk goes once its last entry does. A new array: splice on this array of mixed
      // elements measured slower than all the rest of a push.
      this.chunks = chunks.slice(STRIDE);
      this.head = this.chunks[1] as number;
      this.rotating = true;
    }
  }

  /**
   * A new chunk to write into. While a new history holds fewer than EXACT_FRAMES frames, a chunk
   * holds just its frame: a chunk costs three array places, less than the room a larger one would
   * leave empty in a history of a few frames. Otherwise a chunk is sized to what the history holds
   * with the new entry (at least MIN_BUSY_CHUNK once it evicts), so a growing history's chunks
   * double, up to CHUNK_BYTES (or `need` if larger), and a busy user's history has few.
   */
  private addChunk(need: number): Buffer {
    const held = this.frameBytes + this.count * HEADER_BYTES;
    const exact = !this.rotating && this.count < EXACT_FRAMES;
    const grown = Math.max(held + need, this.rotating ? MIN_BUSY_CHUNK : 0);
    const size = exact ? need : Math.max(need, Math.min(CHUNK_BYTES, grown));
    const allocate = this.limits.allocate ?? historySlab.allocate;
    const { buffer, start } = allocate(size, this.rotating);
    const chunks = this.chunks;
    if (!chunks || this.count === 0) {
      // The first chunk, or one that replaces the emptied chunk an eviction left.
      this.chunks = [buffer, start, start + size];
      this.head = start;
    } else {
      // Seal the previous chunk, so a reader knows the next entry is in the next one.
      const last = chunks.length - STRIDE;
      if (this.tail + HEADER_BYTES <= (chunks[last + 2] as number))
        (chunks[last] as Buffer).writeUInt32LE(END_OF_CHUNK, this.tail);
      // A new array of the exact length: push() would make room for 17 more places, more than
      // the chunk itself for a user with two small frames. Chunks are added rarely.
      this.chunks = chunks.concat(buffer, start, start + size);
    }
    this.tail = start;
    return buffer;
  }
}

/** Whether no entry starts at `at` in the (sealed) chunk whose buffer is chunks[c]. */
function atEnd(chunks: (Buffer | number)[], c: number, at: number): boolean {
  return (
    at + HEADER_BYTES > (chunks[c + 2] as number) ||
    (chunks[c] as Buffer).readUInt32LE(at) === END_OF_CHUNK
  );
}
