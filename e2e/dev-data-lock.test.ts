// One running `npm run dev` per data folder: two servers on one embedded Postgres and one
// set of Durable Object files corrupt both (a broken index, SQLITE_BUSY). Exercised through
// the real `node scripts/dev.ts`, as a person starts it, with CHATTR_DATA_DIR and PORT set.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../scripts/lib/free-port.ts";

const root = mkdtempSync(join(tmpdir(), "chattr-data-lock-"));
const running = new Set<DevProcess>();

interface DevProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

function startDev(dataDir: string, port: number): DevProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, CHATTR_DATA_DIR: dataDir, PORT: String(port) };
  // The embedded database is what two servers corrupt; a server in DATABASE_URL is not at issue.
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ["scripts/dev.ts"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so a failed test can still stop the vite watcher it starts.
    detached: true,
  });
  if (child.pid === undefined) throw new Error("could not start scripts/dev.ts");
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  const dev = { child, pid: child.pid, url: `http://127.0.0.1:${port}`, output: () => output, exited };
  running.add(dev);
  void exited.then(() => running.delete(dev));
  return dev;
}

async function waitUntilServing(dev: DevProcess): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (dev.child.exitCode !== null) throw new Error(`dev.ts exited ${dev.child.exitCode}:\n${dev.output()}`);
    if (dev.output().includes("Chattr is running on")) {
      const health = await fetch(`${dev.url}/api/health`);
      if (health.ok) return;
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`dev.ts did not start within 90 s:\n${dev.output()}`);
}

/** Stops a dev.ts by its PID the way Ctrl+C does, and its process group if it hangs. */
async function stop(dev: DevProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
  if (dev.child.exitCode !== null) return dev.child.exitCode;
  dev.child.kill(signal);
  const timeout = setTimeout(() => {
    try {
      process.kill(-dev.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }, 20_000);
  const code = await dev.exited;
  clearTimeout(timeout);
  return code;
}

async function signup(url: string, username: string): Promise<number> {
  const response = await fetch(`${url}/api/auth/signup`, {
    method: "POST",
    headers: { Origin: url, "Content-Type": "application/json" },
    body: JSON.stringify({ username, password: "correct horse battery" }),
  });
  return response.status;
}

/** A PID that surely belongs to no process: one that has just exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  const pid = child.pid;
  await new Promise((done) => child.once("exit", done));
  if (pid === undefined) throw new Error("could not start a short-lived process");
  return pid;
}

afterAll(async () => {
  await Promise.all([...running].map((dev) => stop(dev)));
  rmSync(root, { recursive: true, force: true });
});

describe("npm run dev and its data folder", () => {
  const first = join(root, "first");
  const second = join(root, "second");
  let serving: DevProcess | undefined;

  it("refuses a second start on the same data folder at once, and the first keeps serving", async () => {
    serving = startDev(first, await freePort());
    await waitUntilServing(serving);

    const startedAt = Date.now();
    const again = startDev(first, await freePort());
    const code = await Promise.race([
      again.exited,
      new Promise<"still running">((done) => setTimeout(() => done("still running"), 10_000)),
    ]);
    const refusal = again.output();
    await stop(again);

    expect(code).not.toBe("still running");
    expect(code).not.toBe(0);
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    expect(refusal).toContain(resolve(first));
    expect(refusal).toContain(`PID ${serving.pid}`);
    expect(refusal).toContain("CHATTR_DATA_DIR=");
    expect(refusal).not.toContain("Chattr is running on");

    const health = await fetch(`${serving.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await signup(serving.url, `lock_${randomBytes(4).toString("hex")}`)).toBe(201);
  }, 180_000);

  it("takes over a lock left by a killed server, and runs beside the first on its own data", async () => {
    mkdirSync(second, { recursive: true });
    writeFileSync(
      join(second, "dev-server.lock"),
      JSON.stringify({ pid: await deadPid(), startedAt: new Date().toISOString(), nonce: "killed" }),
    );
    const beside = startDev(second, await freePort());
    await waitUntilServing(beside);
    if (!serving) throw new Error("the first server is not running");

    // Each instance has its own database: the same name signs up on both.
    const username = `side_${randomBytes(4).toString("hex")}`;
    expect(await signup(serving.url, username)).toBe(201);
    expect(await signup(beside.url, username)).toBe(201);
    expect(existsSync(join(second, "pglite"))).toBe(true);
    expect(await stop(beside)).toBe(0);
  }, 180_000);

  it("releases the folder when stopped with Ctrl+C, so the next start serves again", async () => {
    if (!serving) throw new Error("the first server is not running");
    expect(await stop(serving, "SIGINT")).toBe(0);
    expect(existsSync(join(first, "dev-server.lock"))).toBe(false);

    const restarted = startDev(first, await freePort());
    await waitUntilServing(restarted);
    expect(await stop(restarted)).toBe(0);
  }, 180_000);
});
