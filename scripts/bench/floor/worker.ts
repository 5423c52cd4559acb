// The platform floor: a bare Durable Object per room that answers hello and broadcasts
// every send, with the same frames as Chattr's room socket and the same hibernation API,
// but no session check, no storage, no receipts. What is left is workerd's own cost.
import { DurableObject } from "cloudflare:workers";

interface FloorEnv {
  ROOM: DurableObjectNamespace<BroadcastRoom>;
}

export class BroadcastRoom extends DurableObject<FloorEnv> {
  #seq = 0;

  override async fetch(): Promise<Response> {
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const frame = JSON.parse(typeof raw === "string" ? raw : new TextDecoder().decode(raw)) as {
      type: string;
      clientId?: string;
      body?: string;
    };
    if (frame.type === "hello") {
      ws.send(JSON.stringify({ type: "ready", seq: this.#seq }));
    } else if (frame.type === "send") {
      this.#seq += 1;
      const text = JSON.stringify({
        type: "message",
        seq: this.#seq,
        clientId: frame.clientId,
        body: frame.body,
      });
      for (const peer of this.ctx.getWebSockets()) peer.send(text);
    }
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    // 1005/1006 may be received but never sent.
    ws.close(code === 1005 || code === 1006 ? 1000 : code);
  }
}

export default {
  async fetch(request: Request, env: FloorEnv): Promise<Response> {
    const room = /^\/rooms\/([^/]+)$/.exec(new URL(request.url).pathname)?.[1];
    if (!room) return new Response("ok");
    if (request.headers.get("Upgrade") !== "websocket")
      return new Response("expected a WebSocket", { status: 426 });
    return env.ROOM.get(env.ROOM.idFromName(room)).fetch(request);
  },
} satisfies ExportedHandler<FloorEnv>;
