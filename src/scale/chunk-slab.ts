/** Where a chunk of `size` bytes was placed: bytes [start, start + size) of `buffer`. */
export interface ChunkPlace {
  buffer: Buffer;
  start: number;
}

/**
 * Places a replay-history chunk of exactly `size` bytes (contents undefined). `shortLived`: the
 * history evicts frames (a busy user), so this chunk will go long before its neighbours would.
 */
export type ChunkAllocator = (size: number, shortLived: boolean) => ChunkPlace;

/** Slab size, and the largest chunk carved from a slab rather than allocated on its own. */
export const SLAB_DEFAULTS = { slabBytes: 16 * 1024, maxCarveBytes: 2 * 1024 } as const;

/**
 * Carves small replay-history chunks out of slabs that only histories share.
 *
 * A small chunk in a Buffer of its own costs about 300 bytes of RSS besides its bytes (the Buffer
 * and ArrayBuffer objects, the backing store's record, the allocator's header): more than a
 * 200-byte frame. Buffer.allocUnsafe avoids the ArrayBuffer by slicing Node's shared 8 KiB pool,
 * but still costs a Buffer object (about 100 bytes) per chunk, and a slice kept for the whole
 * replay window can pin a pool slab that the rest of the process filled with short-lived buffers.
 * Here a chunk is a place in a slab (the history keeps the slab and an offset: no object per
 * chunk), and slabs hold nothing but history chunks, cut in the order frames arrive; idle users'
 * frames expire in that same order (by TTL), so a slab empties and is collected as a whole. In
 * bench/history's churn of 20,000 users, RSS grew 1.7–1.8× the chunk bytes held this way, against
 * 2.3–2.4× with Buffer.allocUnsafe and 3.4× with Buffer.allocUnsafeSlow (npm run bench:history).
 *
 * Short-lived chunks, and chunks above `maxCarveBytes`, get a buffer of their own: a busy user
 * drops and replaces its chunks often, and one of them left in a slab would keep the whole slab
 * alive for as long as its longest-lived neighbour.
 */
export class ChunkSlab {
  private slab: Buffer | undefined;
  private offset = 0;

  constructor(
    private readonly slabBytes: number = SLAB_DEFAULTS.slabBytes,
    private readonly maxCarveBytes: number = SLAB_DEFAULTS.maxCarveBytes,
  ) {}

  readonly allocate: ChunkAllocator = (size, shortLived) => {
    if (shortLived || size > this.maxCarveBytes)
      return { buffer: Buffer.allocUnsafeSlow(size), start: 0 };
    if (!this.slab || this.offset + size > this.slab.length) {
      this.slab = Buffer.allocUnsafeSlow(this.slabBytes);
      this.offset = 0;
    }
    const place = { buffer: this.slab, start: this.offset };
    this.offset += size;
    return place;
  };
}

/** The process's one slab for history chunks: every history packs its small chunks together. */
export const historySlab = new ChunkSlab();
