// Guessing attacks run in parallel: every limit that guards a guess reserves the attempt
// before hashing, in one call, so concurrent requests cannot all pass a check that none of
// them has recorded yet. Each attack comes from one address, as a script would send it.
import { describe, expect, it } from "vitest";
import { api, createPrivateRoom, signUp, uniqueName } from "../helpers.ts";

const PASSWORD = "correct horse battery";

/** 24 wrong guesses and the right one, all at once, the right one at `rightAt`. */
function guesses(rightAt: number, send: (password: string) => Promise<Response>): Promise<Response[]> {
  return Promise.all(
    Array.from({ length: 25 }, (_, i) => send(i === rightAt ? PASSWORD : `wrong guess ${i} xx`)),
  );
}

function tally(responses: Response[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const r of responses) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

async function retryAfterOf(responses: Response[]): Promise<number[]> {
  return responses.filter((r) => r.status === 429).map((r) => Number(r.headers.get("Retry-After")));
}

describe("guesses sent in parallel", () => {
  it("log-in: 25 at once for one account hash at most 5; the rest get 429 with Retry-After", async () => {
    const { user } = await signUp(uniqueName("target"), PASSWORD);
    const address = "198.51.100.1";
    const responses = await guesses(24, (password) =>
      api("/api/auth/login", {
        method: "POST",
        json: { username: user.name, password },
        headers: { "CF-Connecting-IP": address },
      }),
    );
    const counts = tally(responses);
    // What was hashed answered 401 (wrong) or 200 (right): five at most.
    expect((counts[401] ?? 0) + (counts[200] ?? 0)).toBeLessThanOrEqual(5);
    expect(counts[429]).toBeGreaterThanOrEqual(20);
    // The right password came last: its attempt was over the limit, like the others.
    expect(responses[24]?.status).toBe(429);
    for (const seconds of await retryAfterOf(responses)) expect(seconds).toBeGreaterThanOrEqual(1);
    const body = (await responses.find((r) => r.status === 429)?.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/try again/i);
  });

  it("log-in: the right password among the first five still signs in", async () => {
    const { user } = await signUp(uniqueName("target"), PASSWORD);
    const responses = await guesses(0, (password) =>
      api("/api/auth/login", {
        method: "POST",
        json: { username: user.name, password },
        headers: { "CF-Connecting-IP": "198.51.100.2" },
      }),
    );
    const counts = tally(responses);
    expect((counts[401] ?? 0) + (counts[200] ?? 0)).toBeLessThanOrEqual(5);
    expect(responses[0]?.status).toBe(200);
  });

  it("room password: 25 joins at once hash at most 5", async () => {
    const owner = await signUp();
    const guesser = await signUp();
    const roomId = await createPrivateRoom(owner, "room pass 1234");
    const responses = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        api(`/api/rooms/${roomId}/join`, {
          method: "POST",
          cookie: guesser.cookie,
          json: { password: i === 24 ? "room pass 1234" : `wrong ${i}` },
          headers: { "CF-Connecting-IP": "198.51.100.3" },
        }),
      ),
    );
    const counts = tally(responses);
    expect((counts[403] ?? 0) + (counts[200] ?? 0)).toBeLessThanOrEqual(5);
    expect(counts[429]).toBeGreaterThanOrEqual(20);
    expect(responses[24]?.status).toBe(429);
  });

  it("current password on change: 25 at once hash at most 5", async () => {
    const session = await signUp(uniqueName("changer"), PASSWORD);
    const responses = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        api("/api/me/password", {
          method: "POST",
          cookie: session.cookie,
          json: { currentPassword: `wrong ${i} guess`, newPassword: "a brand new passphrase" },
          headers: { "CF-Connecting-IP": "198.51.100.4" },
        }),
      ),
    );
    const counts = tally(responses);
    expect(counts[403] ?? 0).toBeLessThanOrEqual(5);
    expect(counts[429]).toBeGreaterThanOrEqual(20);
  });

  it("hashing per account: wrong joins spread over many rooms stop at the account's budget", async () => {
    const owner = await signUp();
    const guesser = await signUp();
    const rooms: string[] = [];
    for (let i = 0; i < 8; i++) rooms.push(await createPrivateRoom(owner, "room pass 1234"));
    // Three wrong guesses per room from one account, each from a fresh address: neither
    // the per-room nor the per-address limit is reached, only the account's.
    const responses = await Promise.all(
      rooms.flatMap((roomId) =>
        [1, 2, 3].map((i) =>
          api(`/api/rooms/${roomId}/join`, {
            method: "POST",
            cookie: guesser.cookie,
            json: { password: `wrong ${i}` },
          }),
        ),
      ),
    );
    const counts = tally(responses);
    // 24 guesses, 20 for the account's minute (rooms made above spent none of the guesser's).
    expect(counts[403] ?? 0).toBeLessThanOrEqual(20);
    expect(counts[429]).toBeGreaterThanOrEqual(4);
  });

  it("a successful log-in gives its attempt back: four failures, then success, then one more failure is still heard", async () => {
    const { user } = await signUp(uniqueName("target"), PASSWORD);
    const login = (password: string) =>
      api("/api/auth/login", { method: "POST", json: { username: user.name, password } });
    for (let i = 0; i < 4; i++) expect((await login(`wrong ${i} xxx`)).status).toBe(401);
    expect((await login(PASSWORD)).status).toBe(200);
    // The success did not count: a fifth failure is still a 401, the sixth attempt a 429.
    expect((await login("wrong again xx")).status).toBe(401);
    expect((await login(PASSWORD)).status).toBe(429);
  });
});
