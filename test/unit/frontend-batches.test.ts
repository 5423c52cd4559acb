import { describe, expect, it } from "vitest";
import { FrontendBatches } from "../../scripts/db/frontend-batches.ts";

function message(type: string, body = ""): Buffer {
  const payload = Buffer.from(body);
  const head = Buffer.alloc(5);
  head.write(type, 0);
  head.writeInt32BE(4 + payload.length, 1);
  return Buffer.concat([head, payload]);
}

function startup(): Buffer {
  const body = Buffer.from("user\0postgres\0\0");
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + body.length, 0);
  head.writeInt32BE(196608, 4);
  return Buffer.concat([head, body]);
}

describe("FrontendBatches", () => {
  it("holds Parse, Bind, Describe and Execute until their Sync, then sends them as one", () => {
    const batches = new FrontendBatches();
    expect(batches.push(startup())).toHaveLength(1);
    expect(batches.push(message("P", "\0select 1\0\0\0"))).toEqual([]);
    expect(batches.push(message("B", "\0\0\0\0\0\0\0\0"))).toEqual([]);
    expect(batches.push(Buffer.concat([message("D", "P\0"), message("E", "\0\0\0\0\0")]))).toEqual([]);
    const sync = message("S");
    const [batch, ...rest] = batches.push(sync);
    expect(rest).toEqual([]);
    expect(batch?.at(-5)).toBe("S".charCodeAt(0));
    expect(batch?.length).toBe(
      message("P", "\0select 1\0\0\0").length +
        message("B", "\0\0\0\0\0\0\0\0").length +
        message("D", "P\0").length +
        message("E", "\0\0\0\0\0").length +
        sync.length,
    );
  });

  it("passes a simple query, a password and a split message through once complete", () => {
    const batches = new FrontendBatches();
    batches.push(startup());
    expect(batches.push(message("p", "secret\0"))).toHaveLength(1);
    const query = message("Q", "select 1\0");
    expect(batches.push(query.subarray(0, 3))).toEqual([]);
    expect(batches.push(query.subarray(3))).toEqual([query]);
  });

  it("treats an SSL request as a message of its own before the startup", () => {
    const batches = new FrontendBatches();
    const ssl = Buffer.alloc(8);
    ssl.writeInt32BE(8, 0);
    ssl.writeInt32BE(80877103, 4);
    expect(batches.push(ssl)).toEqual([ssl]);
    expect(batches.push(startup())).toHaveLength(1);
    expect(batches.push(message("Q", "select 1\0"))).toHaveLength(1);
  });
});
