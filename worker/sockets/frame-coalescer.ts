// Coalescing of outgoing frames, for sockets whose client asked for it (`hello {batch: true}`).
//
// Sending a WebSocket frame has a fixed cost per frame in the runtime (and in every client),
// so a busy room that sends each message to each socket as its own frame spends most of its
// time on frames, not messages. Frames posted to a batching socket wait in its queue until
// the events already waiting for the object have been handled (a zero-delay timer), then
// leave together as one `{"type":"batch","frames":[…]}`. An idle room pays nothing: a queue
// of one frame leaves as that frame itself, a turn of the event loop later. Under load the
// batches grow with the backlog, so the cost per message falls as the rate rises.
//
// Sockets that did not ask get every frame on its own, at once, as the contract describes.

export interface FrameCoalescerOptions {
  /** Runs `flush` later; a zero-delay timer in the Durable Object, controllable in tests. */
  schedule?: (flush: () => void) => void;
}

export class FrameCoalescer {
  /** Frames (JSON text) waiting per socket, in the order they were posted. */
  readonly #queues = new Map<WebSocket, string[]>();
  #scheduled = false;
  readonly #schedule: (flush: () => void) => void;

  constructor(options: FrameCoalescerOptions = {}) {
    this.#schedule = options.schedule ?? ((flush) => setTimeout(flush, 0));
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
      this.#schedule(() => this.flush());
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
