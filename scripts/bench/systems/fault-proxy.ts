// A fault-injecting TCP proxy in front of a benchmarked system's Postgres (scenario 4,
// persistence). The system reaches its database only through the proxy; the bench reaches
// the database directly (to watch rows arrive) and controls the proxy over HTTP:
//   POST /outage/start  refuse new connections and cut every open one
//   POST /outage/end    accept connections again
// The proxy runs inside the system's own process tree (its Postgres process for the peer,
// Chattr's dev server for Chattr), so it is pinned and sampled with the server.
import { createServer as createHttpServer } from "node:http";
import { connect, createServer, type Socket } from "node:net";
import { freePort } from "../../lib/free-port.ts";

export interface FaultProxy {
  /** The port the system connects to instead of the database's. */
  port: number;
  /** `host:port` of the HTTP control endpoint. */
  control: string;
  setOutage(down: boolean): void;
  stop(): Promise<void>;
}

export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  let down = false;
  const live = new Set<{ client: Socket; upstream: Socket }>();

  const cutAll = () => {
    for (const pair of live) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
    live.clear();
  };

  const proxy = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    client.setNoDelay(true);
    const upstream = connect(target.port, target.host);
    upstream.setNoDelay(true);
    const pair = { client, upstream };
    live.add(pair);
    const close = () => {
      live.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.pipe(upstream);
    upstream.pipe(client);
    client.on("error", close);
    upstream.on("error", close);
    client.on("close", close);
    upstream.on("close", close);
  });

  const setOutage = (value: boolean) => {
    down = value;
    if (down) cutAll();
  };

  const control = createHttpServer((request, response) => {
    if (request.method === "POST" && (request.url === "/outage/start" || request.url === "/outage/end")) {
      setOutage(request.url === "/outage/start");
      response.writeHead(204).end();
      return;
    }
    response.writeHead(404).end();
  });

  const host = "127.0.0.1";
  const port = await freePort();
  const controlPort = await freePort();
  await new Promise<void>((resolve) => proxy.listen(port, host, resolve));
  await new Promise<void>((resolve) => control.listen(controlPort, host, resolve));
  return {
    port,
    control: `${host}:${controlPort}`,
    setOutage,
    async stop() {
      cutAll();
      await Promise.all([
        new Promise<void>((resolve) => proxy.close(() => resolve())),
        new Promise<void>((resolve) => control.close(() => resolve())),
      ]);
    },
  };
}

/** From the bench: starts or ends the outage of the proxy whose control endpoint is `control`. */
export async function setProxyOutage(control: string, down: boolean): Promise<void> {
  const response = await fetch(`http://${control}/outage/${down ? "start" : "end"}`, { method: "POST" });
  if (!response.ok) throw new Error(`the fault proxy at ${control} answered ${response.status}`);
}
