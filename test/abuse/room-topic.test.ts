// The room topic: only the owner sets it, it is one bounded line of text, changing it is
// rate-limited, and everyone in the room sees a change live (`room_updated`).
import { describe, expect, it } from "vitest";
import {
  api,
  createPrivateRoom,
  createRoom,
  guestSession,
  joinRoom,
  requestJoin,
  type Session,
  signUp,
} from "../helpers.ts";

function setTopic(session: Session | null, roomId: string, topic: unknown, origin?: string) {
  return api(`/api/rooms/${roomId}`, {
    method: "PATCH",
    ...(session ? { cookie: session.cookie } : {}),
    ...(origin ? { headers: { Origin: origin } } : {}),
    json: { topic },
  });
}

async function topicOf(session: Session | null, roomId: string): Promise<unknown> {
  const response = await api(`/api/rooms/${roomId}`, session ? { cookie: session.cookie } : {});
  expect(response.status).toBe(200);
  return ((await response.json()) as { room: { topic?: unknown } }).room.topic;
}

async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; message: string; field?: string } }).error;
}

describe("the room topic", () => {
  it("is set by the owner, returned by GET, and pushed live to everyone in the room", async () => {
    const [owner, reader] = await Promise.all([signUp(), signUp()]);
    const roomId = await createRoom(owner);
    expect(await topicOf(reader, roomId)).toBeNull();
    const inRoom = await joinRoom(roomId, reader);
    const visitor = await joinRoom(roomId, null);

    const response = await setTopic(owner, roomId, "  Plans for Saturday: bring snacks  ");
    expect(response.status).toBe(200);
    expect(((await response.json()) as { room: { topic: string } }).room.topic).toBe(
      "Plans for Saturday: bring snacks",
    );
    expect(await inRoom.next("room_updated")).toMatchObject({ topic: "Plans for Saturday: bring snacks" });
    expect(await visitor.next("room_updated")).toMatchObject({ topic: "Plans for Saturday: bring snacks" });
    expect(await topicOf(null, roomId)).toBe("Plans for Saturday: bring snacks");

    // An empty topic (or null) clears it.
    expect((await setTopic(owner, roomId, "")).status).toBe(200);
    expect(await inRoom.next("room_updated")).toMatchObject({ topic: null });
    expect(await topicOf(reader, roomId)).toBeNull();
    inRoom.close();
    visitor.close();
  });

  it("is refused to a member who is not the owner (403), and stays as it was", async () => {
    const [owner, member] = await Promise.all([signUp(), signUp()]);
    const roomId = await createPrivateRoom(owner, "open sesame");
    expect((await requestJoin(member, roomId, "open sesame")).status).toBe(200);
    expect((await setTopic(owner, roomId, "Owner's words")).status).toBe(200);
    const refused = await setTopic(member, roomId, "Hijacked");
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).code).toBe("not_owner");
    expect(await topicOf(member, roomId)).toBe("Owner's words");
    // Like the rest of a private room, the topic is for its members: others get no topic field.
    expect(await topicOf(await signUp(), roomId)).toBeUndefined();
    expect(await topicOf(null, roomId)).toBeUndefined();
  });

  it("is refused to guests and visitors, and in rooms nobody owns (#general)", async () => {
    const owner = await signUp();
    const roomId = await createRoom(owner);
    const guest = await guestSession();
    expect((await setTopic(guest, roomId, "Guest was here")).status).toBe(403);
    expect((await setTopic(null, roomId, "Visitor was here")).status).toBe(401);
    expect((await setTopic(owner, "general", "Mine now")).status).toBe(403);
    expect(await topicOf(owner, roomId)).toBeNull();
  });

  it("is refused from another site's page (Origin check)", async () => {
    const owner = await signUp();
    const roomId = await createRoom(owner);
    const response = await setTopic(owner, roomId, "Cross-site", "https://evil.example");
    expect(response.status).toBe(403);
    expect(await topicOf(owner, roomId)).toBeNull();
  });

  it("is at most 250 characters and one line: longer or odd text gets a clear 400", async () => {
    const owner = await signUp();
    const roomId = await createRoom(owner);
    const tooLong = await setTopic(owner, roomId, "x".repeat(251));
    expect(tooLong.status).toBe(400);
    const error = await errorOf(tooLong);
    expect(error).toMatchObject({ code: "invalid_input", field: "topic" });
    expect(error.message).toContain("250");
    expect((await setTopic(owner, roomId, "x".repeat(250))).status).toBe(200);
    for (const odd of ["two\nlines", "nul\u0000byte", "lone \ud800 surrogate", 42, { text: "x" }]) {
      const response = await setTopic(owner, roomId, odd);
      expect(response.status, JSON.stringify(odd)).toBe(400);
      expect((await errorOf(response)).field).toBe("topic");
    }
    expect(await topicOf(owner, roomId)).toBe("x".repeat(250));
  });

  it("is rate-limited per owner: the 21st change in a minute gets 429 with Retry-After", async () => {
    const owner = await signUp();
    const roomId = await createRoom(owner);
    const answers = await Promise.all(
      Array.from({ length: 25 }, (_, i) => setTopic(owner, roomId, `Topic number ${i}`)),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    const limited = answers.find((r) => r.status === 429);
    expect(Number(limited?.headers.get("Retry-After"))).toBeGreaterThan(0);
  });
});
