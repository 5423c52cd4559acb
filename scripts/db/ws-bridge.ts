// A loopback WebSocket → TCP bridge, so the Neon serverless driver (which speaks the
// Postgres wire protocol over a WebSocket) reaches a local Postgres exactly as it reaches
// Neon's proxy in production. Each WebSocket carries one Postgres connection, byte for byte.
//
// Tests can simulate a database outage: POST /outage/start makes the bridge refuse new
// connections and cut open ones; POST /outage/end restores it.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { connect, type Socket } from "node:net";
import { freePort } from "../lib/free-port.ts";
import { type WebSocket, WebSocketServer } from "../lib/ws.ts";

export interface Bridge {
  port: number;
  /** The value for the Worker's DB_BRIDGE setting. */
  address: string;
  setOutage(down: boolean): void;
  stop(): Promise<void>;
}

// Frontend message type 'X' (Terminate). PGlite ignores it and keeps the socket open, so
// the bridge ends the TCP side itself when it sees one.
const TERMINATE = 0x58;

export async function startBridge(target: { host: string; port: number }): Promise<Bridge> {
  let down = false;
  const live = new Set<{ ws: WebSocket; tcp: Socket }>();

  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === "POST" && (req.url === "/outage/start" || req.url === "/outage/end")) {
      down = req.url === "/outage/start";
      if (down) for (const pair of live) cutPair(pair);
      res.writeHead(204).end();
      return;
    }
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ noServer: true });
  http.on("upgrade", (req, socket, head) => {
    if (down) {
      socket.end("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => pipe(ws));
  });

  function cutPair(pair: { ws: WebSocket; tcp: Socket }) {
    pair.tcp.destroy();
    pair.ws.terminate();
    live.delete(pair);
  }

  function pipe(ws: WebSocket) {
    const tcp = connect(target.port, target.host);
    const pair = { ws, tcp };
    live.add(pair);
    const pending: Buffer[] = [];
    let connected = false;
    tcp.on("connect", () => {
      connected = true;
      for (const chunk of pending) tcp.write(chunk);
      pending.length = 0;
    });
    tcp.on("data", (chunk) => {
      if (ws.readyState === ws.OPEN) ws.send(chunk);
    });
    tcp.on("close", () => {
      live.delete(pair);
      ws.close();
    });
    tcp.on("error", () => ws.terminate());
    ws.on("message", (data) => {
      const chunk = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
      if (chunk[0] === TERMINATE && chunk.length === 5) {
        tcp.end();
        return;
      }
      if (connected) tcp.write(chunk);
      else pending.push(chunk);
    });
    ws.on("close", () => {
      live.delete(pair);
      tcp.end();
    });
    ws.on("error", () => tcp.destroy());
  }

  const port = await freePort();
  await new Promise<void>((resolve) => http.listen(port, "127.0.0.1", resolve));
  return {
    port,
    address: `127.0.0.1:${port}`,
    setOutage(value) {
      down = value;
      if (down) for (const pair of live) cutPair(pair);
    },
    async stop() {
      for (const pair of live) cutPair(pair);
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
