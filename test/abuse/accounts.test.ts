// Attacks on accounts and names, as an outside client makes them: probing which usernames
// exist, guessable passwords, and names that render as something they are not.
import { describe, expect, it } from "vitest";
import { hashPassword } from "../../worker/auth/password.ts";
import { nameSkeleton } from "../../worker/protocol/display-names.ts";
import { api, createRoom, query, sessionCookie, signUp, uniqueName } from "../helpers.ts";

interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

/** An address no other test uses, so limits spent here stay here. */
function freshAddress(): string {
  const [a = 0, b = 0, c = 0] = crypto.getRandomValues(new Uint8Array(3));
  return `100.${64 + (a & 63)}.${b}.${c}`;
}

function guest(name: string, address?: string): Promise<Response> {
  return api("/api/auth/guest", {
    method: "POST",
    json: { name },
    ...(address ? { headers: { "CF-Connecting-IP": address } } : {}),
  });
}

function signUpAttempt(username: string, password: string, address?: string): Promise<Response> {
  return api("/api/auth/signup", {
    method: "POST",
    json: { username, password },
    ...(address ? { headers: { "CF-Connecting-IP": address } } : {}),
  });
}

/** Status, `Retry-After` and the error body (whose own `retryAfter` repeats the header). */
async function refusal(response: Response) {
  const { error } = (await response.json()) as ErrorBody;
  return { status: response.status, ...error, retryAfter: Number(response.headers.get("Retry-After")) };
}

/** A refusal as a person or a script reads it, without the seconds that tick between two. */
function withoutWait(refused: Awaited<ReturnType<typeof refusal>>) {
  const { retryAfter: _, ...rest } = refused;
  return rest;
}

describe("usernames cannot be enumerated cheaply", () => {
  it("guest-name probes from one address stop at 30, and the refusal is the same for taken and free names", async () => {
    const account = await signUp();
    const address = freshAddress();
    for (let i = 0; i < 30; i++) {
      const name = i % 2 === 0 ? account.user.name : uniqueName("free");
      expect((await guest(name, address)).status).toBe(i % 2 === 0 ? 409 : 201);
    }
    const taken = await refusal(await guest(account.user.name, address));
    const free = await refusal(await guest(uniqueName("free"), address));
    expect(taken.status).toBe(429);
    expect(taken.retryAfter).toBeGreaterThan(0);
    expect(free.retryAfter).toBeGreaterThan(0);
    expect(withoutWait(free)).toEqual(withoutWait(taken));
  });

  it("guest sessions per address are bounded, even when asked for all at once", async () => {
    const address = freshAddress();
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => guest(uniqueName(`crowd${i}`), address)),
    );
    expect(responses.filter((r) => r.status === 201)).toHaveLength(30);
    const refused = responses.filter((r) => r.status === 429);
    expect(refused).toHaveLength(10);
    const first = await refusal(refused[0] as Response);
    expect(first).toMatchObject({ code: "rate_limited" });
    expect(first.retryAfter).toBeGreaterThan(0);
    expect(first.message).toMatch(/guest/i);
    // Another address is not affected.
    expect((await guest(uniqueName("neighbour"), freshAddress())).status).toBe(201);
  });

  it("once an address has spent its sign-up attempts, taken and free names get the same 429", async () => {
    const account = await signUp();
    const address = freshAddress();
    for (let i = 0; i < 20; i++) {
      expect((await signUpAttempt(account.user.name, "correct horse battery", address)).status).toBe(409);
    }
    const taken = await refusal(await signUpAttempt(account.user.name, "correct horse battery", address));
    const free = await refusal(await signUpAttempt(uniqueName(), "correct horse battery", address));
    expect(taken.status).toBe(429);
    expect(taken.retryAfter).toBeGreaterThan(0);
    expect(free.retryAfter).toBeGreaterThan(0);
    expect(withoutWait(free)).toEqual(withoutWait(taken));
  });

  it("sign-up still tells a person that a name is taken", async () => {
    const account = await signUp();
    const response = await signUpAttempt(account.user.name, "correct horse battery");
    expect(await refusal(response)).toMatchObject({ status: 409, code: "username_taken", field: "username" });
  });
});

describe("passwords people cannot guess", () => {
  it.each(["password", "12345678", "iloveyou", "PASSWORD", "qwertyuiop", "baseball"])(
    "sign-up refuses the common password %j and says why",
    async (password) => {
      const response = await signUpAttempt(uniqueName(), password);
      expect(await refusal(response)).toMatchObject({
        status: 400,
        code: "invalid_input",
        field: "password",
      });
      expect((await refusal(await signUpAttempt(uniqueName(), password))).message).toMatch(
        /one of the .* most common passwords/,
      );
    },
  );

  it("sign-up refuses a password that contains the username, in any case", async () => {
    for (const shape of [(u: string) => `${u}1`, (u: string) => `My${u.toUpperCase()}!`]) {
      const username = uniqueName("ana");
      const error = await refusal(await signUpAttempt(username, shape(username)));
      expect(error).toMatchObject({ status: 400, field: "password" });
      expect(error.message).toContain("must not contain your username");
    }
  });

  it("sign-up refuses a password under 8 characters", async () => {
    const error = await refusal(await signUpAttempt(uniqueName(), "Xq7#mZ2"));
    expect(error).toMatchObject({ status: 400, field: "password" });
    expect(error.message).toContain("at least 8 characters");
  });

  it("a new password on change follows the same rules, with the username from the session", async () => {
    const ana = await signUp();
    for (const [newPassword, why] of [
      ["password", /most common passwords/],
      [`${ana.user.name}!2024`, /must not contain your username/],
    ] as const) {
      const response = await api("/api/me/password", {
        method: "POST",
        cookie: ana.cookie,
        json: { currentPassword: "correct horse battery", newPassword },
      });
      const error = await refusal(response);
      expect(error).toMatchObject({ status: 400, field: "newPassword" });
      expect(error.message).toMatch(why);
    }
    // The old password still works: nothing was changed.
    const login = await api("/api/auth/login", {
      method: "POST",
      json: { username: ana.user.name, password: "correct horse battery" },
    });
    expect(login.status).toBe(200);
  });

  it("an account made before the rules still logs in with its weak password", async () => {
    const username = uniqueName("old");
    await query("insert into users (id, username, password_hash) values (gen_random_uuid(), $1, $2)", [
      username,
      await hashPassword("password"),
    ]);
    const login = await api("/api/auth/login", { method: "POST", json: { username, password: "password" } });
    expect(login.status).toBe(200);
  });
});

describe("names cannot lie", () => {
  it.each([
    ["right-to-left override", "\u202Eevil\u202C"],
    ["right-to-left isolate", "ana\u2067lice\u2069"],
    ["right-to-left mark", "\u200Fana"],
    ["Arabic letter mark", "ana\u061C"],
  ])("a guest name with a %s is refused", async (_what, name) => {
    const error = await refusal(await guest(name));
    expect(error).toMatchObject({ status: 400, field: "name" });
    expect(error.message).toContain("direction");
  });

  it.each([
    ["zero-width space", "an\u200Ba"],
    ["zero-width non-joiner", "an\u200Ca"],
    ["word joiner", "an\u2060a"],
    ["byte order mark", "an\uFEFFa"],
    ["soft hyphen", "an\u00ADa"],
    ["Hangul filler", "\u3164"],
    ["braille blank", "ana\u2800"],
    ["invisible tag characters", "ana\u{E0061}"],
  ])("a guest name with a %s is refused", async (_what, name) => {
    const error = await refusal(await guest(name));
    expect(error).toMatchObject({ status: 400, field: "name" });
    expect(error.message).toMatch(/invisible|visible character/);
  });

  it("a guest cannot pass for an account by case, lookalike letters or invisible tricks", async () => {
    const account = await signUp(uniqueName("mike"));
    const name = account.user.name; // mike_ and 12 hex digits
    const lookalikes = [
      name.toUpperCase(),
      name.replace("m", "rn"),
      name.replace("i", "\u0456").replace("e", "\u0435"), // Cyrillic і and е
      name.replace("mike", "\uFF4D\uFF49\uFF4B\uFF45"), // fullwidth
      name.replace("mike", "MIKE").replaceAll("0", "O").replaceAll("1", "l"),
      name.replace("k", "k\u0301"), // an accent on top
    ];
    for (const lookalike of lookalikes) {
      const error = await refusal(await guest(lookalike));
      expect({ lookalike, ...error }).toMatchObject({ lookalike, status: 409, code: "name_taken" });
    }
  });

  it("the database's skeleton of a username is the one guests' names are compared with", async () => {
    const usernames = ["rnvv_i01", "vvvrnrn_1", "ill_0oo", "plain_name"].map(
      (u) => `${u}_${uniqueName("").slice(1, 9)}`,
    );
    for (const username of usernames) {
      await query("insert into users (id, username, password_hash) values (gen_random_uuid(), $1, 'x')", [
        username,
      ]);
    }
    const rows = await query<{ username: string; username_skeleton: string }>(
      "select username, username_skeleton from users where username = any($1)",
      [usernames],
    );
    expect(rows).toHaveLength(usernames.length);
    for (const row of rows) expect(row.username_skeleton).toBe(nameSkeleton(row.username));
  });

  it("names are stored in NFC, and emoji sequences stay allowed", async () => {
    const decomposed = "Jose\u0301 \u{1F469}\u200D\u{1F469}\u200D\u{1F467} \u2764\uFE0F";
    const response = await guest(decomposed);
    expect(response.status).toBe(201);
    const { user } = (await response.json()) as { user: { name: string } };
    expect(user.name).toBe(decomposed.normalize("NFC"));
    expect(user.name.startsWith("Jos\u00E9 ")).toBe(true);
    const me = await api("/api/me", { cookie: sessionCookie(response) });
    expect(((await me.json()) as { user: { username: string } }).user.username).toBe(user.name);
  });

  it.each([
    ["right-to-left override", "\u202Egnp.exe"],
    ["zero-width space", "gene\u200Bral"],
    ["Hangul filler", "\u3164"],
  ])("a room name with a %s is refused", async (_what, name) => {
    const owner = await signUp();
    const response = await api("/api/rooms", {
      method: "POST",
      cookie: owner.cookie,
      json: { name, visibility: "public" },
    });
    expect(await refusal(response)).toMatchObject({ status: 400, field: "name" });
  });

  it("room names are stored in NFC, on creation and rename", async () => {
    const owner = await signUp();
    const roomId = await createRoom(owner, "Cafe\u0301 club");
    const [row] = await query<{ name: string }>("select name from rooms where id = $1", [roomId]);
    expect(row?.name).toBe("Caf\u00E9 club");
    const renamed = await api(`/api/rooms/${roomId}`, {
      method: "PATCH",
      cookie: owner.cookie,
      json: { name: "Nin\u0303os" },
    });
    expect(renamed.status).toBe(200);
    const [after] = await query<{ name: string }>("select name from rooms where id = $1", [roomId]);
    expect(after?.name).toBe("Ni\u00F1os");
  });
});
