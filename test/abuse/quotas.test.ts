// What one person can create is bounded, and the bound holds when the requests arrive all
// at once: rooms an account owns, rooms made from one address, pending friend requests.
// The database is seeded up to just below a bound (the attacker would have got there one
// request at a time); then parallel requests try to cross it.
import { describe, expect, it } from "vitest";
import { api, query, signUp, uniqueName } from "../helpers.ts";

function tally(responses: Response[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const r of responses) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

async function expectReadable429(response: Response | undefined, pattern: RegExp): Promise<void> {
  expect(response?.status).toBe(429);
  expect(Number(response?.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
  const body = (await response?.json()) as { error: { code: string; message: string } };
  expect(body.error.message).toMatch(pattern);
}

/** Accounts made straight in Postgres: the bound under test is not sign-up's. */
async function seedUsers(count: number): Promise<{ id: string; username: string }[]> {
  const users = Array.from({ length: count }, () => ({
    id: crypto.randomUUID(),
    username: uniqueName("seed"),
  }));
  for (const u of users) {
    await query("insert into users (id, username, password_hash) values ($1, $2, 'x')", [u.id, u.username]);
  }
  return users;
}

describe("rooms one account owns", () => {
  it("stop at 100, even when 8 creations race for the last place", async () => {
    const owner = await signUp();
    for (let i = 0; i < 99; i++) {
      const id = `seeded${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
      await query("insert into rooms (id, name, visibility, owner_id) values ($1, $2, 'public', $3)", [
        id,
        `seeded ${i}`,
        owner.user.id,
      ]);
    }
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api("/api/rooms", {
          method: "POST",
          cookie: owner.cookie,
          json: { name: `race ${i}`, visibility: "public" },
        }),
      ),
    );
    expect(tally(responses)).toEqual({ 201: 1, 429: 7 });
    await expectReadable429(
      responses.find((r) => r.status === 429),
      /100 rooms.*delete one/i,
    );
    const [row] = await query<{ n: string }>("select count(*) as n from rooms where owner_id = $1", [
      owner.user.id,
    ]);
    expect(Number(row?.n)).toBe(100);
  });
});

describe("rooms made from one address", () => {
  it("stop at 30 an hour, whichever accounts make them", async () => {
    const address = "203.0.113.77";
    const accounts = [await signUp(), await signUp(), await signUp()];
    const responses: Response[] = [];
    for (let i = 0; i < 31; i++) {
      const account = accounts[i % accounts.length];
      responses.push(
        await api("/api/rooms", {
          method: "POST",
          cookie: account?.cookie,
          json: { name: `from one address ${i}`, visibility: "public" },
          headers: { "CF-Connecting-IP": address },
        }),
      );
    }
    expect(responses.slice(0, 30).every((r) => r.status === 201)).toBe(true);
    await expectReadable429(responses[30], /too many rooms were made from your network/i);
  });
});

describe("pending friend requests", () => {
  it("stop at 100 waiting for an answer, even when two race for the last place", async () => {
    const me = await signUp();
    const [first, second, ...seeded] = await seedUsers(101);
    for (const u of seeded.slice(0, 99)) {
      await query("insert into friendships (id, requester_id, addressee_id) values ($1, $2, $3)", [
        crypto.randomUUID(),
        me.user.id,
        u.id,
      ]);
    }
    const responses = await Promise.all(
      [first, second].map((u) =>
        api("/api/friends/requests", { method: "POST", cookie: me.cookie, json: { username: u?.username } }),
      ),
    );
    expect(tally(responses)).toEqual({ 201: 1, 429: 1 });
    await expectReadable429(
      responses.find((r) => r.status === 429),
      /100 friend requests/i,
    );
  });
});
