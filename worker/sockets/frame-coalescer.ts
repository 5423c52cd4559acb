// Coalescing of outgoing frames, for sockets whose client asked for it (`hello {batch: true}`).
//
// Sending a WebSocket frame has a fixed cost per frame in the runtime (and in every client),
// so a busy room that sends each message to each socket as its own frame spends most of its
// time on frames, not messages. Frames posted to a batching socket wait in its queue and
// leave together as one `{"type":"batch","frames":[…]}`:
// - in a quiet room, at the end of the current event (a microtask): a reply and its replay
//   leave together, and a lone frame leaves as itself with no delay;
// - in a busy room (the last flush was moments ago), after the events already waiting for
//   the object have been handled too (a zero-delay timer), so batches grow with the backlog
//   and the cost per message falls as the rate rises.
//
// Sockets that did not ask get every frame on its own, at once, as the contract describes.

export interface FrameCoalescerOptions {
  /** Runs `flush` once the current event is handled (a microtask). */
  soon?: (flush: () => void) => void;
  /** Runs `flush` after the events already waiting too (a zero-delay timer). */
  later?: (flush: () => void) => void;
  now?: () => number;
}

/** A flush within this long of the previous one means the room is busy. */
export const BUSY_WITHIN_MS = 5;

export class FrameCoalescer {
  /** Frames (JSON text) waiting per socket, in the order they were posted. */
  readonly #queues = new Map<WebSocket, string[]>();
  #scheduled = false;
  #lastFlushAt = Number.NEGATIVE_INFINITY;
  readonly #soon: (flush: () => void) => void;
  readonly #later: (flush: () => void) => void;
  readonly #now: () => number;

  constructor(options: FrameCoalescerOptions = {}) {
    this.#soon = options.soon ?? queueMicrotask;
    this.#later = options.later ?? ((flush) => setTimeout(flush, 0));
    this.#now = options.now ?? Date.now;
  }

  /** Sends `text` to `ws` now, or queues it when the socket batches (or already has frames waiting). */
  post(ws: WebSocket, text: string, batch: boolean): void {
    const queue = this.#queues.get(ws);
    if (queue) {
      queue.push(text);
      return;
    }
    if (!batch) {
      sendQuietly(ws, text);
      return;
    }
    this.#queues.set(ws, [text]);
    if (!this.#scheduled) {
      this.#scheduled = true;
      const busy = this.#now() - this.#lastFlushAt < BUSY_WITHIN_MS;
      (busy ? this.#later : this.#soon)(() => this.flush());
    }
  }

  /** Sends what waits for one socket now: before it is closed, so nothing queued is lost. */
  flushSocket(ws: WebSocket): void {
    const queue = this.#queues.get(ws);
    if (!queue) return;
    this.#queues.delete(ws);
    sendQuietly(ws, batchText(queue));
  }

  /** Forgets a socket that is gone. */
  forget(ws: WebSocket): void {
    this.#queues.delete(ws);
  }

  /** Sends every queue as one frame per socket. */
  flush(): void {
    this.#scheduled = false;
    this.#lastFlushAt = this.#now();
    // Most sockets in a room wait for the very same frames (the same string objects, so
    // comparing them is cheap): build each distinct batch's text once.
    let previous: string[] | null = null;
    let previousText = "";
    for (const [ws, queue] of this.#queues) {
      const text = previous !== null && sameFrames(queue, previous) ? previousText : batchText(queue);
      previous = queue;
      previousText = text;
      sendQuietly(ws, text);
    }
    this.#queues.clear();
  }
}

/** One frame as itself; several as a `batch` frame, built from their JSON without parsing it again. */
export function batchText(frames: readonly string[]): string {
  return frames.length === 1 ? (frames[0] as string) : `{"type":"batch","frames":[${frames.join(",")}]}`;
}

function sameFrames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

function sendQuietly(ws: WebSocket, text: string): void {
  try {
    ws.send(text);
  } catch {
    // The socket is closing; its close handler tidies up.
  }
}
