import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import {
  DataDirBusyError,
  LOCK_FILE_NAME,
  type LockOptions,
  lockDataDir,
} from "../../scripts/lib/data-dir-lock.ts";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "chattr-lock-unit-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A PID that surely belongs to no process: one that has just exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  const pid = child.pid;
  await new Promise((done) => child.once("exit", done));
  if (pid === undefined) throw new Error("could not start a short-lived process");
  return pid;
}

function writeLock(dir: string, owner: { pid: number; startedAt?: string; nonce?: string }): void {
  writeFileSync(
    join(dir, LOCK_FILE_NAME),
    JSON.stringify({ startedAt: new Date().toISOString(), nonce: "earlier", ...owner }),
  );
}

function holderOf(dir: string): { pid: number; nonce: string } {
  return JSON.parse(readFileSync(join(dir, LOCK_FILE_NAME), "utf8")) as { pid: number; nonce: string };
}

function busyHolder(dir: string, options?: LockOptions): number | "locked" {
  try {
    lockDataDir(dir, options);
    return "locked";
  } catch (error) {
    if (error instanceof DataDirBusyError) return error.holder.pid;
    throw error;
  }
}

describe("lockDataDir", () => {
  it("creates the folder and the lock, refuses a second lock, and frees the folder on release", () => {
    const dir = join(tempDir(), "nested", "data");
    const lock = lockDataDir(dir);
    expect(holderOf(dir)).toMatchObject({ pid: process.pid, nonce: lock.owner.nonce });
    expect(() => lockDataDir(dir)).toThrow(DataDirBusyError);
    expect(busyHolder(dir)).toBe(process.pid);
    // A refused start leaves nothing behind.
    expect(readdirSync(dir)).toEqual([LOCK_FILE_NAME]);

    lock.release();
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE_NAME))).toBe(false);
    lockDataDir(dir).release();
  });

  it("names the folder and the holder in the refusal", () => {
    const dir = tempDir();
    const lock = lockDataDir(dir);
    try {
      lockDataDir(dir);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DataDirBusyError);
      if (!(error instanceof DataDirBusyError)) return;
      expect(error.dir).toBe(dir);
      expect(error.holder).toEqual(lock.owner);
      expect(error.message).toContain(`${dir} is in use by process ${process.pid}`);
    }
    lock.release();
  });

  it("takes over a lock whose process is gone", async () => {
    const dir = tempDir();
    writeLock(dir, { pid: await deadPid() });
    const lock = lockDataDir(dir);
    expect(holderOf(dir).nonce).toBe(lock.owner.nonce);
    expect(readdirSync(dir)).toEqual([LOCK_FILE_NAME]);
    lock.release();
  });

  it("takes over a lock written before the machine booted, whoever has that PID now", () => {
    const dir = tempDir();
    writeLock(dir, { pid: process.pid, startedAt: "2020-01-01T00:00:00.000Z" });
    const lock = lockDataDir(dir, { bootTime: new Date("2021-01-01T00:00:00.000Z") });
    expect(holderOf(dir).nonce).toBe(lock.owner.nonce);
    lock.release();
  });

  it("takes over a lock file that is not one (empty or garbage)", () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE_NAME), "");
    lockDataDir(dir).release();
    writeFileSync(join(dir, LOCK_FILE_NAME), '{"pid":"1"}');
    lockDataDir(dir).release();
  });

  it("does not release a lock that another process has since taken over", async () => {
    const dir = tempDir();
    const ours = lockDataDir(dir, { pid: await deadPid() });
    const theirs = lockDataDir(dir);
    ours.release();
    expect(holderOf(dir).nonce).toBe(theirs.owner.nonce);
    theirs.release();
  });

  it("lets only one of two starters that both saw the same stale lock take it over", async () => {
    const dir = tempDir();
    writeLock(dir, { pid: await deadPid() });
    let winner: ReturnType<typeof lockDataDir> | undefined;
    // The slow starter has read the stale lock; the fast one takes it over in that moment.
    const refusedBy = busyHolder(dir, {
      pid: 4_000_001,
      isRunning: (pid) => pid === process.pid,
      beforeTakeover: () => {
        winner = lockDataDir(dir);
      },
    });
    expect(winner?.owner.pid).toBe(process.pid);
    expect(refusedBy).toBe(process.pid);
    expect(holderOf(dir).nonce).toBe(winner?.owner.nonce);
    expect(readdirSync(dir)).toEqual([LOCK_FILE_NAME]);
    winner?.release();
  });

  it("lets exactly one of many processes starting at once hold a folder with a stale lock", async () => {
    const dir = tempDir();
    writeLock(dir, { pid: await deadPid() });
    const moduleUrl = new URL("../../scripts/lib/data-dir-lock.ts", import.meta.url).href;
    // Each contender reports, then holds the lock (if it got it) until every one has tried.
    const script = `
      import { lockDataDir, DataDirBusyError } from ${JSON.stringify(moduleUrl)};
      try { lockDataDir(${JSON.stringify(dir)}); console.log("locked"); }
      catch (error) { console.log(error instanceof DataDirBusyError ? "busy" : String(error)); }
      setTimeout(() => {}, 1500);
    `;
    const outcomes = await Promise.all(
      Array.from(
        { length: 6 },
        () =>
          new Promise<string>((done, fail) => {
            const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
              cwd: fileURLToPath(new URL("../..", import.meta.url)),
            });
            let out = "";
            child.stdout.on("data", (chunk: Buffer) => {
              out += chunk.toString();
            });
            child.stderr.on("data", (chunk: Buffer) => {
              out += chunk.toString();
            });
            child.on("error", fail);
            child.on("exit", () => done(out.trim()));
          }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === "locked")).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === "busy")).toHaveLength(5);
  }, 30_000);
});
