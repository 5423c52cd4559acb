// Direct rooms made before their ids were random keep working: the migration that adds
// direct_rooms records each old room with its pair (its two members), so "Message" finds
// the old room and its history. Run on an embedded Postgres, migrated in two steps.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const migrations = fileURLToPath(new URL("../../migrations", import.meta.url));
/** The last migration before direct rooms got random ids. */
const BEFORE = "0004_friends";

interface Journal {
  entries: { tag: string }[];
}

/** A copy of migrations/ that stops at `lastTag`. */
async function migrationsUpTo(lastTag: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), "chattr-migrations-"));
  await mkdir(join(folder, "meta"));
  const journal = JSON.parse(await readFile(join(migrations, "meta", "_journal.json"), "utf8")) as Journal;
  const last = journal.entries.findIndex((e) => e.tag === lastTag);
  if (last < 0) throw new Error(`no migration ${lastTag}`);
  const entries = journal.entries.slice(0, last + 1);
  await writeFile(join(folder, "meta", "_journal.json"), JSON.stringify({ ...journal, entries }));
  for (const { tag } of entries) await copyFile(join(migrations, `${tag}.sql`), join(folder, `${tag}.sql`));
  return folder;
}

const ANN = "11111111-1111-4111-8111-111111111111";
const BOB = "22222222-2222-4222-8222-222222222222";
const CY = "33333333-3333-4333-8333-333333333333";

let pg: PGlite;
let oldFolder: string;

beforeAll(async () => {
  pg = await PGlite.create("memory://");
  oldFolder = await migrationsUpTo(BEFORE);
  await migrate(drizzle({ client: pg }), { migrationsFolder: oldFolder });
  // As the first version left things: two DMs with ids hashed from the pair, one of which
  // lost a member when an account was deleted.
  await pg.exec(`
    insert into users (id, username, password_hash) values
      ('${ANN}', 'ann', 'x'), ('${BOB}', 'bob', 'x'), ('${CY}', 'cyd', 'x');
    insert into rooms (id, name, visibility) values
      ('dm-00000000000000000000000000000ab', 'bob & ann', 'direct'),
      ('dm-00000000000000000000000000000ac', 'ann & cy', 'direct');
    insert into room_members (room_id, user_id) values
      ('dm-00000000000000000000000000000ab', '${BOB}'), ('dm-00000000000000000000000000000ab', '${ANN}'),
      ('dm-00000000000000000000000000000ac', '${ANN}');
    insert into messages (id, room_id, seq, author_id, author_name, body, client_id, created_at) values
      (gen_random_uuid(), 'dm-00000000000000000000000000000ab', 1, '${ANN}', 'ann', 'hi bob', 'c0', now());
  `);
  await migrate(drizzle({ client: pg }), { migrationsFolder: migrations });
}, 60_000);

afterAll(async () => {
  await pg?.close();
  if (oldFolder) await rm(oldFolder, { recursive: true, force: true });
});

describe("the direct_rooms migration", () => {
  it("records each old direct room with its two members, in sorted order", async () => {
    const { rows } = await pg.query<{ room_id: string; user_low: string; user_high: string }>(
      "select room_id, user_low, user_high from direct_rooms order by room_id",
    );
    expect(rows).toEqual([{ room_id: "dm-00000000000000000000000000000ab", user_low: ANN, user_high: BOB }]);
  });

  it("keeps the old room's id and history", async () => {
    const { rows } = await pg.query<{ body: string }>(
      `select m.body from direct_rooms d join messages m on m.room_id = d.room_id
       where d.user_low = $1 and d.user_high = $2`,
      [ANN, BOB],
    );
    expect(rows.map((r) => r.body)).toEqual(["hi bob"]);
  });

  it("refuses a second room for the same pair, either way round", async () => {
    await pg.exec("insert into rooms (id, name, visibility) values ('dm-new', 'x', 'direct')");
    await expect(
      pg.query("insert into direct_rooms (room_id, user_low, user_high) values ('dm-new', $1, $2)", [
        ANN,
        BOB,
      ]),
    ).rejects.toThrow(/direct_rooms_pair/);
    await expect(
      pg.query("insert into direct_rooms (room_id, user_low, user_high) values ('dm-new', $1, $2)", [
        BOB,
        ANN,
      ]),
    ).rejects.toThrow(/direct_rooms_sorted_pair/);
  });
});
