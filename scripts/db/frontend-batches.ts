// Groups a client's Postgres frontend messages into batches that end where the server is
// expected to answer (Sync, a simple Query, a password, Flush, Terminate, copy data), so the
// bridge writes each batch to the server in one piece. PGlite runs one backend for every
// client and takes each incoming chunk as a unit: a Parse from one client landing between
// another's Parse and Bind replaced that client's unnamed statement ("unnamed prepared
// statement does not exist") when requests ran in parallel. A real server is unaffected.

/** Message types after which the client waits for the server (or streams copy data). */
const BOUNDARIES = new Set(["S", "Q", "p", "H", "X", "d", "c", "f"].map((c) => c.charCodeAt(0)));

export class FrontendBatches {
  #buffer: Buffer = Buffer.alloc(0);
  /** The first message (startup or SSL request) has a length but no type byte. */
  #started = false;

  /** Adds bytes from the client; answers the complete batches now ready to send, in order. */
  push(chunk: Buffer): Buffer[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const ready: Buffer[] = [];
    let batchEnd = 0;
    let offset = 0;
    for (;;) {
      if (!this.#started) {
        if (this.#buffer.length < offset + 4) break;
        const length = this.#buffer.readInt32BE(offset);
        if (this.#buffer.length < offset + length) break;
        offset += length;
        batchEnd = offset;
        // An SSL or GSS request is answered with one byte and followed by the real startup.
        const code = length === 8 ? this.#buffer.readInt32BE(offset - 4) : 0;
        if (code !== 80877103 && code !== 80877104) this.#started = true;
        continue;
      }
      if (this.#buffer.length < offset + 5) break;
      const type = this.#buffer[offset] ?? 0;
      const length = this.#buffer.readInt32BE(offset + 1);
      if (this.#buffer.length < offset + 1 + length) break;
      offset += 1 + length;
      if (BOUNDARIES.has(type)) batchEnd = offset;
    }
    if (batchEnd > 0) {
      ready.push(this.#buffer.subarray(0, batchEnd));
      this.#buffer = this.#buffer.subarray(batchEnd);
    }
    return ready;
  }
}
