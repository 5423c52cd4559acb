import { eq } from "drizzle-orm";
import { users } from "../../drizzle/schema.ts";
import type { Database } from "./client.ts";

export async function findUserByUsername(db: Database, username: string) {
  const [user] = await db.select().from(users).where(eq(users.username, username));
  return user ?? null;
}

/** Whether some account's username looks like `skeleton` (see `nameSkeleton`); indexed. */
export async function isAccountLookalike(db: Database, skeleton: string): Promise<boolean> {
  const [match] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.usernameSkeleton, skeleton))
    .limit(1);
  return match !== undefined;
}

export async function findUserById(db: Database, id: string) {
  const [user] = await db
    .select({ id: users.id, username: users.username, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, id));
  return user ?? null;
}

/** Inserts the user, or returns null when the username is taken (race-safe). */
export async function insertUser(db: Database, user: { id: string; username: string; passwordHash: string }) {
  const [created] = await db
    .insert(users)
    .values(user)
    .onConflictDoNothing({ target: users.username })
    .returning({ id: users.id, username: users.username });
  return created ?? null;
}

export async function recordLogin(db: Database, id: string): Promise<void> {
  await db.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, id));
}

export async function setPasswordHash(db: Database, id: string, passwordHash: string): Promise<void> {
  await db.update(users).set({ passwordHash }).where(eq(users.id, id));
}
