// What every benchmarked system offers the load generator. All of them speak the same
// frames (Chattr's room protocol, reduced to what a broadcast needs), so one client and one
// message shape measure them all the same way:
//   client → server  {"type":"hello"}                      server → client  {"type":"ready", …}
//   client → server  {"type":"send","clientId","body"}     server → all     {"type":"message","seq","clientId","body", …}
// A server may add fields (Chattr adds author, id, createdAt, roomId) and may answer
// {"type":"error","code"}: the generator counts refusals.

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
  /** A fresh room for `clientCount` clients, each with its own credentials. */
  prepareRoom(clientCount: number): Promise<PreparedRoom>;
  /**
   * Messages the system has written to Postgres so far, once its pending writes are
   * flushed; absent where the bench cannot ask (Chattr's flushes are its rooms' business).
   */
  storedMessages?(): Promise<number>;
  /** The system's Postgres, for the persistence scenario; absent for systems without storage. */
  readonly database?: BenchDatabase;
  stop(): Promise<void>;
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
