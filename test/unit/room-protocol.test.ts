import { describe, expect, it } from "vitest";
import { LIMITS, normaliseBody, parseClientFrame } from "../../worker/protocol/room-protocol.ts";

describe("parseClientFrame", () => {
  it("accepts hello with and without lastSeq, and send", () => {
    expect(parseClientFrame('{"type":"hello"}')).toEqual({ kind: "frame", frame: { type: "hello" } });
    expect(parseClientFrame('{"type":"hello","lastSeq":7}')).toEqual({
      kind: "frame",
      frame: { type: "hello", lastSeq: 7 },
    });
    expect(parseClientFrame('{"type":"send","clientId":"abc-1","body":"hi"}')).toEqual({
      kind: "frame",
      frame: { type: "send", clientId: "abc-1", body: "hi" },
    });
  });

  it("drops unknown keys instead of passing them on", () => {
    const parsed = parseClientFrame('{"type":"send","clientId":"a","body":"b","author":{"id":"x"}}');
    expect(parsed).toEqual({ kind: "frame", frame: { type: "send", clientId: "a", body: "b" } });
  });

  it.each([
    ["not json", /not valid JSON/],
    ["[]", /Unknown frame type/],
    ["null", /Unknown frame type/],
    ['{"type":"dance"}', /Unknown frame type "dance"/],
    ['{"type":"hello","lastSeq":1.5}', /hello/],
    ['{"type":"hello","lastSeq":"3"}', /hello/],
    ['{"type":"send","clientId":"","body":"x"}', /clientId/],
    ['{"type":"send","clientId":"a","body":5}', /body/],
  ])("refuses %s with invalid_frame", (raw, message) => {
    const parsed = parseClientFrame(raw);
    expect(parsed.kind).toBe("error");
    if (parsed.kind === "error") {
      expect(parsed.code).toBe("invalid_frame");
      expect(parsed.message).toMatch(message);
    }
  });

  // `send` is checked by hand before the schema (one per message); the edges of its rules
  // must come out as the schema has them.
  it.each([
    [`{"type":"send","clientId":"${"a".repeat(64)}","body":""}`, true],
    [`{"type":"send","clientId":"${"a".repeat(65)}","body":"x"}`, false],
    ['{"type":"send","clientId":"a b","body":"x"}', false],
    ['{"type":"send","clientId":"é","body":"x"}', false],
    ['{"type":"send","clientId":"a\\n","body":"x"}', false],
    ['{"type":"send","clientId":7,"body":"x"}', false],
    ['{"type":"send","body":"x"}', false],
    ['{"type":"send","clientId":"a"}', false],
    ['{"type":"send","clientId":"a","body":null}', false],
  ])("send %s is accepted: %s", (raw, accepted) => {
    const parsed = parseClientFrame(raw);
    expect(parsed.kind).toBe(accepted ? "frame" : "error");
    if (accepted) expect(parsed).toEqual({ kind: "frame", frame: JSON.parse(raw) });
    else expect(parsed).toMatchObject({ code: "invalid_frame", message: /Invalid "send" frame/ });
  });

  it("measures size in UTF-8 bytes before parsing", () => {
    const fits = JSON.stringify({ type: "send", clientId: "a", body: "é".repeat(8000) }); // ~16 030 bytes
    const over = JSON.stringify({ type: "send", clientId: "a", body: "é".repeat(8200) });
    expect(parseClientFrame(fits).kind).toBe("frame");
    expect(parseClientFrame(over)).toEqual({ kind: "too_large" });
    expect(parseClientFrame("x".repeat(LIMITS.maxFrameBytes + 1))).toEqual({ kind: "too_large" });
    expect(parseClientFrame(new ArrayBuffer(LIMITS.maxFrameBytes + 1))).toEqual({ kind: "too_large" });
    expect(parseClientFrame(new ArrayBuffer(4))).toMatchObject({ kind: "error", code: "invalid_frame" });
  });
});

describe("normaliseBody", () => {
  it("trims, and refuses empty or over-long bodies", () => {
    expect(normaliseBody("  hi \n")).toBe("hi");
    expect(normaliseBody(" \n\t ")).toBeNull();
    expect(normaliseBody("x".repeat(4000))).toHaveLength(4000);
    expect(normaliseBody(` ${"x".repeat(4000)} `)).toHaveLength(4000);
    expect(normaliseBody("x".repeat(4001))).toBeNull();
  });

  it("refuses text Postgres or UTF-8 cannot hold (found by the room model test)", () => {
    expect(normaliseBody("a\u0000b")).toBeNull();
    expect(normaliseBody("\udfff ")).toBeNull();
    expect(normaliseBody("x\ud83d")).toBeNull();
    expect(normaliseBody("emoji 😀 ok")).toBe("emoji 😀 ok");
  });
});
