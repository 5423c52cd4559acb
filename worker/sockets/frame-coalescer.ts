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

/**
 * One socket's waiting frames. It lives as long as the socket (until `forget`), so a
 * broadcast to a big room allocates nothing per socket: the runtime's own send already
 * leaves garbage per socket, and the collections it causes are what a fan-out's tail is
 * made of (DECISIONS, "Fourth pass").
 */
class Outbox {
  /** The first waiting frame, or null when nothing waits. */
  first: string | null = null;
  /** The frames after the first, in order; null while there is at most one. */
  rest: string[] | null = null;
  readonly ws: WebSocket;
  constructor(ws: WebSocket) {
    this.ws = ws;
  }

  clear(): void {
    this.first = null;
    this.rest = null;
  }
}

export class FrameCoalescer {
  readonly #outboxes = new Map<WebSocket, Outbox>();
  /** The outboxes with frames waiting, in the order they got their first: `#waiting[0…#waitingCount)`. */
  readonly #waiting: (Outbox | undefined)[] = [];
  #waitingCount = 0;
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
    let outbox = this.#outboxes.get(ws);
    if (outbox?.first != null) {
      if (outbox.rest === null) outbox.rest = [text];
      else outbox.rest.push(text);
      return;
    }
    if (!batch) {
      sendQuietly(ws, text);
      return;
    }
    if (!outbox) {
      outbox = new Outbox(ws);
      this.#outboxes.set(ws, outbox);
    }
    outbox.first = text;
    this.#waiting[this.#waitingCount++] = outbox;
    if (!this.#scheduled) {
      this.#scheduled = true;
      const busy = this.#now() - this.#lastFlushAt < BUSY_WITHIN_MS;
      (busy ? this.#later : this.#soon)(() => this.flush());
    }
  }

  /** Sends what waits for one socket now: before it is closed, so nothing queued is lost. */
  flushSocket(ws: WebSocket): void {
    const outbox = this.#outboxes.get(ws);
    if (outbox?.first == null) return;
    // It stays in #waiting with nothing to send; flush skips it.
    sendQuietly(ws, takeText(outbox));
  }

  /** Forgets a socket that is gone. */
  forget(ws: WebSocket): void {
    const outbox = this.#outboxes.get(ws);
    if (!outbox) return;
    this.#outboxes.delete(ws);
    // Whatever still waits for it can no longer be sent.
    outbox.clear();
  }

  /** Sends every waiting socket its frames, as one frame per socket. */
  flush(): void {
    this.#scheduled = false;
    this.#lastFlushAt = this.#now();
    const count = this.#waitingCount;
    this.#waitingCount = 0;
    // Most sockets in a room wait for the very same frames (the same string objects, so
    // comparing them is cheap): build each distinct batch's text once.
    let previousFirst: string | null = null;
    let previousRest: readonly string[] = [];
    let previousText = "";
    for (let index = 0; index < count; index++) {
      const outbox = this.#waiting[index] as Outbox;
      this.#waiting[index] = undefined;
      const { first, rest } = outbox;
      if (first === null) continue; // sent already by flushSocket, or forgotten
      let text = first;
      if (rest !== null) {
        if (first !== previousFirst || !sameFrames(rest, previousRest)) {
          previousFirst = first;
          previousRest = rest;
          previousText = batchText([first, ...rest]);
        }
        text = previousText;
      }
      outbox.clear();
      sendQuietly(outbox.ws, text);
    }
  }
}

/** The outbox's frames as one text, leaving it empty. */
function takeText(outbox: Outbox): string {
  const text =
    outbox.rest === null ? (outbox.first as string) : batchText([outbox.first as string, ...outbox.rest]);
  outbox.clear();
  return text;
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
