// What every benchmarked system offers the load generator. All of them speak the same
// frames (Chattr's room protocol, reduced to what a broadcast needs), so one client and one
// message shape measure them all the same way:
//   client → server  {"type":"hello"}                      server → client  {"type":"ready", …}
//   client → server  {"type":"send","clientId","body"}     server → all     {"type":"message","seq","clientId","body", …}
// A server may add fields (Chattr adds author, id, createdAt, roomId) and may answer
// {"type":"error","code"}: the generator counts refusals.

import type { GcPause } from "./gc-trace.ts";

export type SystemName = "limit" | "floor" | "chattr" | "peer";

export interface BenchSystem {
  readonly name: SystemName;
  /** One line for the report: what this system is. */
  readonly description: string;
  /** Starts the server(s); the caller must `stop()` the result, also on errors. */
  start(options: StartOptions): Promise<RunningSystem>;
}

export interface StartOptions {
  /** Run the server's processes on this CPU only (taskset), or anywhere when undefined. */
  serverCpu: number | undefined;
  /** Print the server's own output (for debugging a system). */
  verbose: boolean;
}

export interface RunningSystem {
  /** Roots of the server's process trees: CPU and memory are sampled over them and all descendants. */
  readonly serverPids: readonly number[];
  /**
   * The collections of the server's JavaScript thread (Node's, or workerd's for the floor and
   * Chattr) that ended between `from` and `to` (`performance.now()`); null when not traced.
   */
  gcPauses(from: number, to: number): GcPause[] | null;
  /** A fresh room for `clientCount` clients, each with its own credentials. */
  prepareRoom(clientCount: number): Promise<PreparedRoom>;
  /**
   * Messages the system has written to Postgres so far, once its pending writes are
   * flushed; absent where the bench cannot ask (Chattr's flushes are its rooms' business).
   */
  storedMessages?(): Promise<number>;
  /** The system's Postgres, for the persistence scenario; absent for systems without storage. */
  readonly database?: BenchDatabase;
  /** The system's web app (Chattr only): what scenario 6 needs to open a room in a browser. */
  readonly webApp?: WebAppAccess;
  stop(): Promise<void>;
}

export interface WebAppAccess {
  /** Where the app is served, e.g. `http://127.0.0.1:8787`. */
  readonly baseUrl: string;
  /** A signed-up account's `name=value` session cookie. */
  readonly cookie: string;
  /** A fresh public room of that account's holding `bodies`, oldest first (all acked); returns its id. */
  seedRoom(bodies: string[]): Promise<string>;
}

/** A system's Postgres as the persistence scenario sees it (scenario 4). */
export interface BenchDatabase {
  /** Postgres itself, not through the fault proxy: the bench watches rows arrive here. */
  readonly url: string;
  /** Cuts (true) or restores (false) the system's connections to Postgres (fault-proxy.ts). */
  setOutage(down: boolean): Promise<void>;
}

export interface PreparedRoom {
  /**
   * How many sends per second one client may make without being refused (Chattr's
   * per-user flood limit); Infinity where nothing limits it.
   */
  readonly maxSendsPerSecondPerClient: number;
  /** Opens client `index`'s socket and resolves once the server said `ready`. */
  connect(index: number, onDelivery: DeliveryListener): Promise<BenchClient>;
  /**
   * Like `connect`, but the client can drop its connection and come back (the reconnect
   * storm, scenario 3), resuming with the system's own protocol where it has one.
   */
  connectResumable?(index: number, onDelivery: DeliveryListener): Promise<ResumableClient>;
  /** The room's id in Postgres (`messages.room_id`), where the system stores messages. */
  readonly roomId?: string;
  /**
   * Opens client `index`'s socket as a sender only: it never joins (no `hello`), so it gets
   * no broadcasts, but it may send, and hears its acks.
   */
  connectSender?(index: number, onAck: AckListener): Promise<SenderClient>;
}

/** Called for every `ack` a sender receives, with when it arrived (performance.now()). */
export type AckListener = (clientId: string, receivedAt: number) => void;

export interface SenderClient {
  send(clientId: string, body: string): void;
  /** Sends the server refused (`error` frames), e.g. `rate_limited`. */
  readonly refusals: ReadonlyMap<string, number>;
  close(): void;
}

/** Called for every `message` frame a client receives, with when it arrived (performance.now()). */
export type DeliveryListener = (body: string, receivedAt: number) => void;

export interface BenchClient {
  send(body: string): void;
  /** Sends the server refused (`error` frames), e.g. `rate_limited`. */
  readonly refusals: ReadonlyMap<string, number>;
  close(): void;
}

/**
 * How a reconnect ended: `resumed` (caught up with the system's resume protocol), `resync`
 * (Chattr: too far behind, history must be paged over HTTP), `not_recovered` (the peer:
 * Socket.IO could not recover the session, so the client joined afresh), `no_resume` (a
 * system without a resume protocol: back, but what it missed is gone).
 */
export type ReconnectOutcome = "resumed" | "resync" | "not_recovered" | "no_resume";

export interface ResumableClient extends BenchClient {
  /** Cuts the connection at once (no close handshake); frames still in flight are lost. */
  drop(): void;
  /** After `drop`: opens a new connection and resolves once caught up (ready and replay received). */
  reconnect(): Promise<ReconnectOutcome>;
  /** Bytes of frames received so far, over all its connections (what a storm costs each client). */
  receivedBytes(): number;
}
