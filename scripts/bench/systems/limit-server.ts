// The limit: a raw `ws` broadcast server, in memory, no auth, no storage. It answers the
// same frames as Chattr's room socket (see types.ts) so the client and message shape are
// identical. Run as a child process: `node limit-server.ts <port>`.
import { createServer } from "node:http";
import type { WebSocket } from "../../lib/ws.ts";
import { WebSocketServer } from "../../lib/ws.ts";

const port = Number(process.argv[2]);
const rooms = new Map<string, { sockets: Set<WebSocket>; seq: number }>();

const http = createServer((_request, response) => {
  response.writeHead(200, { "Content-Type": "text/plain" });
  response.end("ok");
});
const wss = new WebSocketServer({ server: http, perMessageDeflate: false });

wss.on("connection", (socket, request) => {
  const roomId = request.url ?? "/";
  let room = rooms.get(roomId);
  if (!room) {
    room = { sockets: new Set(), seq: 0 };
    rooms.set(roomId, room);
  }
  const joined = room;
  socket.on("message", (data) => {
    const frame = JSON.parse(String(data)) as { type: string; clientId?: string; body?: string };
    if (frame.type === "hello") {
      joined.sockets.add(socket);
      socket.send(JSON.stringify({ type: "ready", seq: joined.seq }));
    } else if (frame.type === "send") {
      joined.seq += 1;
      const text = JSON.stringify({
        type: "message",
        seq: joined.seq,
        clientId: frame.clientId,
        body: frame.body,
      });
      for (const peer of joined.sockets) peer.send(text);
    }
  });
  socket.on("close", () => {
    joined.sockets.delete(socket);
    if (joined.sockets.size === 0) rooms.delete(roomId);
  });
});

http.listen(port, "127.0.0.1");
process.on("SIGTERM", () => {
  for (const client of wss.clients) client.terminate();
  http.close(() => process.exit(0));
});
