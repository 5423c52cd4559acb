// One running dev server per data folder. Two servers on one folder open the same embedded
// Postgres files and the same Durable Object SQLite files, each unaware of the other: the
// Postgres indexes break ("right sibling's left-link doesn't match") and SQLite answers
// SQLITE_BUSY. A lock file inside the folder says who is using it.
//
// Taking it is atomic: the owner's details are written to a private file first, then
// hard-linked to the lock's name, which fails if the name exists, so the lock never appears
// half-written. A lock whose process is gone is stale and may be taken over; only one
// starter may replace a given stale lock (it must first create a claim file named after
// that lock's content, exclusively), and it checks again that the lock is still the stale
// one before renaming its own over it, so two simultaneous starts cannot both win.
import { createHash, randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { uptime } from "node:os";
import { join, resolve } from "node:path";
import * as v from "valibot";

export const LOCK_FILE_NAME = "dev-server.lock";

const LockOwnerSchema = v.object({
  pid: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** ISO time the owner started; a lock from before the machine booted is stale. */
  startedAt: v.string(),
  /** Tells this owner's lock apart from a later one by a process that got the same PID. */
  nonce: v.string(),
});
export type LockOwner = v.InferOutput<typeof LockOwnerSchema>;

export interface DataDirLock {
  /** The locked folder, absolute. */
  dir: string;
  file: string;
  owner: LockOwner;
  /** Removes the lock if it is still this one; safe to call more than once. */
  release(): void;
}

// No parameter properties: scripts run under Node's type stripping, which rejects them.
export class DataDirBusyError extends Error {
  readonly dir: string;
  readonly file: string;
  readonly holder: LockOwner;
  constructor(dir: string, file: string, holder: LockOwner) {
    super(`${dir} is in use by process ${holder.pid} (since ${holder.startedAt})`);
    this.name = "DataDirBusyError";
    this.dir = dir;
    this.file = file;
    this.holder = holder;
  }
}

export interface LockOptions {
  pid?: number;
  now?: () => Date;
  /** Whether a process runs; `process.kill(pid, 0)` by default. */
  isRunning?: (pid: number) => boolean;
  /** When this machine booted; a lock written earlier cannot belong to a running process. */
  bootTime?: Date;
  /** How long to wait for another starter that is taking over the same stale lock. */
  claimWaitMs?: number;
  /** Test seam: runs after a stale lock is read, before this starter tries to take it over. */
  beforeTakeover?: () => void;
}

/** Locks `dir` (creating it) for this process, or throws DataDirBusyError naming the holder. */
export function lockDataDir(dir: string, options: LockOptions = {}): DataDirLock {
  const folder = resolve(dir);
  mkdirSync(folder, { recursive: true });
  const file = join(folder, LOCK_FILE_NAME);
  const owner: LockOwner = {
    pid: options.pid ?? process.pid,
    startedAt: (options.now?.() ?? new Date()).toISOString(),
    nonce: randomBytes(8).toString("hex"),
  };
  const isRunning = options.isRunning ?? processIsRunning;
  const bootTime = options.bootTime ?? new Date(Date.now() - uptime() * 1000);
  const draft = `${file}.${owner.nonce}.tmp`;
  writeFileSync(draft, `${JSON.stringify(owner)}\n`, { flag: "wx", mode: 0o644 });
  const lock: DataDirLock = { dir: folder, file, owner, release: () => releaseIfOurs(file, owner) };

  const deadline = Date.now() + (options.claimWaitMs ?? 2_000);
  try {
    for (;;) {
      if (createExclusively(draft, file)) return lock;
      const current = readLock(file);
      if (current === undefined) continue; // released between our attempt and the read
      const holder = parseOwner(current);
      if (holder && isRunning(holder.pid) && new Date(holder.startedAt) >= bootTime) {
        throw new DataDirBusyError(folder, file, holder);
      }
      options.beforeTakeover?.();
      const outcome = takeOver(file, current, draft);
      if (outcome === "taken") return lock;
      if (outcome === "claimed by another" && Date.now() > deadline) {
        throw new Error(
          `Another start is taking over the stale lock ${file} and has not finished. If no other ` +
            `dev server is starting, delete ${file} and ${claimFile(file, current)}.`,
        );
      }
      if (outcome === "claimed by another") sleep(20);
    }
  } finally {
    // After a link the draft is a second name for the lock; after a rename it is gone.
    unlinkQuietly(draft);
  }
}

type TakeOver = "taken" | "changed" | "claimed by another";

/** Replaces the stale lock whose content is `stale` with `draft`, unless someone else is. */
function takeOver(file: string, stale: string, draft: string): TakeOver {
  const claim = claimFile(file, stale);
  try {
    writeFileSync(claim, `${process.pid}\n`, { flag: "wx" });
  } catch (error) {
    if (errorCode(error) === "EEXIST") return "claimed by another";
    throw error;
  }
  try {
    // Holding the claim, nobody else may replace this content; but a starter that took it
    // over before us has already released its claim, so look again.
    if (readLock(file) !== stale) return "changed";
    renameSync(draft, file);
    return "taken";
  } finally {
    unlinkQuietly(claim);
  }
}

function claimFile(file: string, content: string): string {
  return `${file}.takeover-${createHash("sha256").update(content).digest("hex").slice(0, 16)}`;
}

function createExclusively(draft: string, file: string): boolean {
  try {
    linkSync(draft, file);
    return true;
  } catch (error) {
    if (errorCode(error) === "EEXIST") return false;
    throw error;
  }
}

function readLock(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if (errorCode(error) === "ENOENT") return undefined;
    throw error;
  }
}

/** The owner in a lock file, or undefined if it is not one (then it is treated as stale). */
function parseOwner(content: string): LockOwner | undefined {
  try {
    const parsed = v.safeParse(LockOwnerSchema, JSON.parse(content));
    return parsed.success ? parsed.output : undefined;
  } catch {
    return undefined;
  }
}

function releaseIfOurs(file: string, owner: LockOwner): void {
  const current = readLock(file);
  if (current !== undefined && parseOwner(current)?.nonce === owner.nonce) unlinkQuietly(file);
}

export function processIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user, so it is running.
    return errorCode(error) !== "ESRCH";
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if (errorCode(error) !== "ENOENT") throw error;
  }
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : undefined;
}

/** Blocks briefly: locking runs once at start-up, before anything else is going on. */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
