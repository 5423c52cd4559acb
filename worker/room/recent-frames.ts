// The room's newest `message` frames as the text they were broadcast as, so a client that
// reconnects is replayed what it missed without reading SQLite or serialising again: in a
// reconnect storm every client asks for nearly the same few messages at once. Memory only
// and bounded; what it cannot cover (after a wake-up, or a gap longer than it holds) the
// room reads from its log.

/** How many frames are kept: a few minutes of a busy room, at most ~1 MB of the longest bodies. */
export const RECENT_FRAMES = 256;

export class RecentFrames {
  readonly #capacity: number;
  /** A ring: frame texts of consecutive seqs, the oldest at #start. */
  readonly #texts: string[] = [];
  #start = 0;
  /** The seq of the oldest frame held (meaningful when any are). */
  #firstSeq = 0;

  constructor(capacity = RECENT_FRAMES) {
    this.#capacity = capacity;
  }

  /** Adds the frame of message `seq`; a seq that does not follow the last one starts afresh. */
  add(seq: number, text: string): void {
    if (this.#texts.length > 0 && seq !== this.#firstSeq + this.#texts.length) this.clear();
    if (this.#texts.length === 0) this.#firstSeq = seq;
    if (this.#texts.length < this.#capacity) {
      this.#texts.push(text);
      return;
    }
    this.#texts[this.#start] = text;
    this.#start = (this.#start + 1) % this.#capacity;
    this.#firstSeq += 1;
  }

  /**
   * The frames of every message after `afterSeq` up to `latestSeq`, oldest first, or null
   * when this does not hold all of them.
   */
  after(afterSeq: number, latestSeq: number): string[] | null {
    if (afterSeq >= latestSeq) return [];
    const held = this.#texts.length;
    if (held === 0 || afterSeq + 1 < this.#firstSeq || this.#firstSeq + held - 1 !== latestSeq) return null;
    const frames: string[] = [];
    for (let seq = afterSeq + 1; seq <= latestSeq; seq++)
      frames.push(this.#texts[(this.#start + seq - this.#firstSeq) % this.#capacity] as string);
    return frames;
  }

  clear(): void {
    this.#texts.length = 0;
    this.#start = 0;
  }
}
