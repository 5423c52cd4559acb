// The storm's frame client against a scripted room (no Chattr): it resumes from the last
// seq it saw, is caught up only once the replay reaches `ready.seq` (also inside `batch`
// frames), names the presence version it last heard, and reports `resync` and `no_resume`
// for what they are.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, expect, test } from "vitest";
import { WebSocketServer } from "../../lib/ws.ts";
import { connectResumableFrameClient } from "./resumable-frame-client.ts";

interface Hello {
  type: "hello";
  lastSeq?: number;
}

const message = (seq: number) => ({ type: "message", seq, body: `m${seq}` });

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A room whose answer to each hello is scripted (a number is a pause in ms); records the hellos. */
async function scriptedRoom(answer: (hello: Hello, connection: number) => (object | number)[]) {
  server = createServer();
  const wss = new WebSocketServer({ server });
  const hellos: Hello[] = [];
  wss.on("connection", (socket) => {
    socket.on("message", (data) => {
      const frame = JSON.parse(String(data)) as Hello;
      if (frame.type !== "hello") return;
      hellos.push(frame);
      void (async () => {
        for (const out of answer(frame, hellos.length))
          if (typeof out === "number") await new Promise((resolve) => setTimeout(resolve, out));
          else socket.send(JSON.stringify(out));
      })();
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `ws://127.0.0.1:${port}/`, hellos, close: () => wss.close() };
}

test("resumes from the last seq seen and is caught up when the replay (batched or not) reaches ready.seq", async () => {
  const room = await scriptedRoom((_hello, connection) =>
    connection === 1
      ? [
          { type: "ready", seq: 2, presenceVersion: "e.1" },
          message(3),
          { type: "presence_change", joined: [], left: ["u9"], version: "e.2" },
          message(4),
        ]
      : [{ type: "ready", seq: 7 }, { type: "batch", frames: [message(5), message(6)] }, 100, message(7)],
  );
  const bodies: string[] = [];
  const client = await connectResumableFrameClient(room.url, {}, (body) => bodies.push(body), {
    resumes: true,
  });
  await expect.poll(() => bodies).toEqual(["m3", "m4"]);
  client.drop();
  await expect(client.reconnect()).resolves.toBe("resumed");
  // Not caught up before m7, which came 100 ms after the rest of the replay.
  expect(bodies).toEqual(["m3", "m4", "m5", "m6", "m7"]);
  expect(room.hellos).toEqual([
    { type: "hello", batch: true, presenceChanges: true },
    { type: "hello", batch: true, presenceChanges: true, lastSeq: 4, presenceVersion: "e.2" },
  ]);
  client.close();
  room.close();
});

test("reports resync when the room says the gap is too old, and no_resume for a system without resume", async () => {
  const resyncing = await scriptedRoom((_hello, connection) =>
    connection === 1
      ? [{ type: "ready", seq: 10 }]
      : [
          { type: "ready", seq: 5_000 },
          { type: "resync", seq: 5_000 },
        ],
  );
  const client = await connectResumableFrameClient(resyncing.url, {}, () => {}, { resumes: true });
  client.drop();
  await expect(client.reconnect()).resolves.toBe("resync");
  expect(resyncing.hellos[1]).toEqual({ type: "hello", batch: true, presenceChanges: true, lastSeq: 10 });
  client.close();
  resyncing.close();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  server = undefined;

  const plain = await scriptedRoom(() => [{ type: "ready", seq: 3 }]);
  const forgetful = await connectResumableFrameClient(plain.url, {}, () => {}, { resumes: false });
  forgetful.drop();
  await expect(forgetful.reconnect()).resolves.toBe("no_resume");
  // Without resume it never sends lastSeq.
  expect(plain.hellos).toEqual([
    { type: "hello", batch: true, presenceChanges: true },
    { type: "hello", batch: true, presenceChanges: true },
  ]);
  forgetful.close();
  plain.close();
});
