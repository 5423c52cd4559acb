// The room socket client: a LiveSocket to /api/rooms/:id/ws that resumes by itself. It
// says `hello {lastSeq}` with the highest seq it has seen, so the room replays exactly
// what was missed, and hands each frame to the room's handlers.
import type {
  ChatMessage,
  ClientFrame,
  Receipt,
  ServerFrame,
  UserRef,
} from "../../../worker/protocol/room-protocol.ts";
import type { BackoffOptions } from "./backoff.ts";
import { type ConnectionState, LiveSocket } from "./live-socket.ts";

export type { ConnectionState };

/** `ready` as handlers see it: with the list of who is online even when the room left it out. */
export type ReadyFrame = Extract<ServerFrame, { type: "ready" }> & { online: UserRef[] };
export type AckFrame = Extract<ServerFrame, { type: "ack" }>;
export type ErrorFrame = Extract<ServerFrame, { type: "error" }>;

export interface RoomSocketHandlers {
  /** Every frame (a `batch` unwrapped), in order, before its specific handler below. */
  onFrame?(frame: ServerFrame): void;
  /** `resumed` is true when the hello carried a `lastSeq`: missed messages follow as replay. */
  onReady?(frame: ReadyFrame, resumed: boolean): void;
  onMessage?(message: ChatMessage): void;
  onAck?(ack: AckFrame): void;
  onPresence?(online: UserRef[]): void;
  onTyping?(user: UserRef, active: boolean): void;
  onReceipt?(receipt: Receipt): void;
  /** The room cannot replay from our `lastSeq`: page history over HTTP up to `seq`. */
  onResync?(seq: number): void;
  /** The owner changed the room's topic (null: cleared). */
  onRoomUpdated?(topic: string | null): void;
  onError?(frame: ErrorFrame): void;
  onState?(state: ConnectionState): void;
  /** The server ended the socket for good (session ended, access removed): no reconnect. */
  onTerminated?(code: number, reason: string): void;
}

const SERVER_FRAME_TYPES: ReadonlySet<string> = new Set([
  "ready",
  "message",
  "ack",
  "typing",
  "receipt",
  "presence",
  "resync",
  "error",
  "batch",
  "presence_change",
  "room_updated",
]);

export class RoomSocket {
  readonly #handlers: RoomSocketHandlers;
  readonly #live: LiveSocket<ServerFrame>;
  #lastSeq: number | undefined;
  /** Whether the current connection's hello carried a `lastSeq`. */
  #resumed = false;
  /** Who is online, from `ready` and kept current by `presence` and `presence_change`. */
  #online = new Map<string, UserRef>();
  /**
   * The room's version of #online, sent with the next hello: a room whose list has not
   * changed since (a blip, a reconnect storm) leaves the list out of `ready`.
   */
  #presenceVersion: string | undefined;

  constructor(roomId: string, handlers: RoomSocketHandlers, backoff?: BackoffOptions) {
    this.#handlers = handlers;
    this.#live = new LiveSocket<ServerFrame>({
      path: `/api/rooms/${encodeURIComponent(roomId)}/ws`,
      frameTypes: SERVER_FRAME_TYPES,
      hello: () => {
        this.#resumed = this.#lastSeq !== undefined;
        // `batch`: a busy room may coalesce frames; #dispatch unwraps them in order.
        // `presenceChanges`: who came and went instead of the full list each time.
        const features = {
          batch: true,
          presenceChanges: true,
          ...(this.#presenceVersion === undefined ? {} : { presenceVersion: this.#presenceVersion }),
        } as const;
        return this.#resumed
          ? { type: "hello", lastSeq: this.#lastSeq, ...features }
          : { type: "hello", ...features };
      },
      // `ready` may arrive first in a batch, with the replay after it.
      isReady: (frame) =>
        frame.type === "ready" || (frame.type === "batch" && frame.frames[0]?.type === "ready"),
      onFrame: (frame) => this.#dispatch(frame),
      ...(handlers.onState ? { onState: handlers.onState } : {}),
      ...(handlers.onTerminated ? { onTerminated: handlers.onTerminated } : {}),
      ...(backoff ? { backoff } : {}),
    });
  }

  get state(): ConnectionState {
    return this.#live.state;
  }

  /** The highest seq this client holds; sent as `lastSeq` on the next hello. */
  get lastSeq(): number | undefined {
    return this.#lastSeq;
  }

  /** Records that every message up to `seq` is held (e.g. after loading history). */
  markSeen(seq: number): void {
    if (this.#lastSeq === undefined || seq > this.#lastSeq) this.#lastSeq = seq;
  }

  start(): void {
    this.#live.start();
  }

  stop(): void {
    this.#live.stop();
  }

  /** Sends a frame if the room has answered our hello; returns whether it was sent. */
  send(frame: ClientFrame): boolean {
    return this.#live.send(frame);
  }

  #dispatch(frame: ServerFrame): void {
    const h = this.#handlers;
    if (frame.type !== "batch") h.onFrame?.(frame);
    switch (frame.type) {
      case "ready": {
        // No list: the one we hold, of the version our hello named, is still right.
        if (frame.online) this.#online = new Map(frame.online.map((user) => [user.id, user]));
        this.#presenceVersion = frame.presenceVersion;
        h.onReady?.({ ...frame, online: [...this.#online.values()] }, this.#resumed);
        return;
      }
      case "message": {
        const { type: _type, ...message } = frame;
        this.markSeen(message.seq);
        h.onMessage?.(message);
        return;
      }
      case "ack":
        h.onAck?.(frame);
        return;
      case "typing":
        h.onTyping?.(frame.user, frame.active);
        return;
      case "receipt": {
        const { type: _type, ...receipt } = frame;
        h.onReceipt?.(receipt);
        return;
      }
      case "presence":
        this.#online = new Map(frame.online.map((user) => [user.id, user]));
        this.#presenceVersion = frame.version;
        h.onPresence?.(frame.online);
        return;
      case "presence_change":
        for (const id of frame.left) this.#online.delete(id);
        for (const user of frame.joined) this.#online.set(user.id, user);
        this.#presenceVersion = frame.version;
        h.onPresence?.([...this.#online.values()]);
        return;
      case "resync":
        h.onResync?.(frame.seq);
        return;
      case "error":
        h.onError?.(frame);
        return;
      case "room_updated":
        h.onRoomUpdated?.(frame.topic);
        return;
      case "batch":
        for (const inner of frame.frames) this.#dispatch(inner);
        return;
      default:
        frame satisfies never;
    }
  }
}
