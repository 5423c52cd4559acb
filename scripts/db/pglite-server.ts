// Serves one PGlite database to many clients over the Postgres wire protocol, on a
// loopback port. PGlite runs a single backend, so clients take turns: each turn is one
// whole batch of a client's messages (up to a Sync or a simple Query: frontend-batches.ts),
// and while a client is inside a transaction only that client gets turns. pglite-socket's
// server took turns per message, so a Parse from one client could land between another's
// Parse and Bind and replace its unnamed statement when requests ran in parallel.
import { createServer, type Server, type Socket } from "node:net";
import type { PGlite } from "@electric-sql/pglite";
import { FrontendBatches } from "./frontend-batches.ts";

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const TERMINATE = "X".charCodeAt(0);

interface Turn {
  client: number;
  /** Runs the batch and answers the client. */
  run: () => Promise<void>;
  /** Drops it unrun (its client left). */
  skip: () => void;
}

export class PGliteServer {
  readonly #db: PGlite;
  readonly #server: Server;
  readonly #queue: Turn[] = [];
  readonly #sockets = new Set<Socket>();
  /** The client whose batch ran last: inside a transaction only it gets turns. */
  #lastClient = 0;
  #running = false;
  #nextClient = 1;

  constructor(db: PGlite) {
    this.#db = db;
    this.#server = createServer((socket) => this.#serve(socket));
  }

  listen(port: number, host: string): Promise<void> {
    return new Promise((resolve) => this.#server.listen(port, host, resolve));
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #serve(socket: Socket): void {
    const client = this.#nextClient++;
    const batches = new FrontendBatches();
    this.#sockets.add(socket);
    socket.setNoDelay(true);
    // One batch of this client at a time, in order.
    let chain = Promise.resolve();
    socket.on("data", (chunk) => {
      for (const batch of batches.push(chunk)) chain = chain.then(() => this.#handle(client, socket, batch));
    });
    const gone = () => {
      this.#sockets.delete(socket);
      for (let i = this.#queue.length - 1; i >= 0; i--) {
        const turn = this.#queue[i];
        if (turn?.client === client) {
          this.#queue.splice(i, 1);
          turn.skip();
        }
      }
      void chain.then(() => this.#releaseTransaction(client));
    };
    socket.on("close", gone);
    socket.on("error", () => socket.destroy());
  }

  async #handle(client: number, socket: Socket, batch: Buffer): Promise<void> {
    if (socket.destroyed) return;
    if (batch.length === 8) {
      const code = batch.readInt32BE(4);
      // No TLS on loopback: "N" tells the client to go on in the clear.
      if (code === SSL_REQUEST || code === GSS_REQUEST) {
        socket.write("N");
        return;
      }
    }
    if (batch.length === 16 && batch.readInt32BE(4) === CANCEL_REQUEST) {
      socket.end();
      return;
    }
    if (batch[0] === TERMINATE && batch.length === 5) {
      socket.end();
      return;
    }
    await new Promise<void>((done) => {
      this.#queue.push({
        client,
        skip: done,
        run: async () => {
          try {
            await this.#db.runExclusive(() =>
              this.#db.execProtocolRawStream(new Uint8Array(batch), {
                onRawData: (data) => {
                  if (!socket.destroyed) socket.write(Buffer.from(data));
                },
              }),
            );
          } catch {
            socket.destroy();
          }
          done();
        },
      });
      void this.#run();
    });
  }

  /** Takes turns: the next batch in line, or inside a transaction the same client's next. */
  async #run(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      for (;;) {
        const pinned = this.#db.isInTransaction() && this.#lastClient !== 0;
        const index = pinned ? this.#queue.findIndex((t) => t.client === this.#lastClient) : 0;
        const turn = index === -1 ? undefined : this.#queue.splice(index, 1)[0];
        if (!turn) break;
        this.#lastClient = turn.client;
        await turn.run();
      }
    } finally {
      this.#running = false;
    }
  }

  /** A client that left inside its transaction: roll it back so the others get turns. */
  async #releaseTransaction(client: number): Promise<void> {
    if (this.#lastClient !== client || !this.#db.isInTransaction()) return;
    await this.#db.runExclusive(() => this.#db.exec("ROLLBACK"));
    this.#lastClient = 0;
    await this.#run();
  }
}
