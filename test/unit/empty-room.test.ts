// What an empty conversation tells each kind of viewer.
import { describe, expect, it } from "vitest";
import { emptyRoomText } from "../../web/src/lib/empty-room.ts";

describe("emptyRoomText", () => {
  it("tells a visitor how to join, never to say hello", () => {
    const room = emptyRoomText("public", "general", "visitor");
    expect(room.next).toBe("To join the conversation, sign up or log in.");
    expect(emptyRoomText("lobby", "Lobby", "visitor").next).toContain("continue as a guest");
    for (const text of Object.values(room)) expect(String(text)).not.toMatch(/say hello/i);
  });

  it("says who can see the room, and what a writer does next", () => {
    expect(emptyRoomText("private", "club", "writer")).toEqual({
      title: "No messages yet",
      audience: "This room is private: only its members can see it.",
      next: "Write the first message below.",
    });
    const dm = emptyRoomText("direct", "ann", "writer");
    expect(dm.title).toBe("This is the start of your conversation with ann");
    expect(dm.audience).toBe("Only you and ann can see this conversation.");
    expect(emptyRoomText("public", "general", "guest").next).toMatch(/sign up to talk here/);
    expect(emptyRoomText("public", "general", "reader").next).toBeNull();
  });
});
