// `npm run dev`: builds the web app (and rebuilds it on change), then serves everything
// on http://localhost:$PORT (8787 by default) with a persistent embedded Postgres.
// Everything it keeps lives in one data folder, $CHATTR_DATA_DIR (.data by default):
// the embedded Postgres in pglite/, the Durable Objects' storage in wrangler/. The folder
// is locked while the server runs, so a second start on it refuses instead of corrupting it.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { DevServer } from "./dev-server.ts";
import { DataDirBusyError, type DataDirLock, lockDataDir } from "./lib/data-dir-lock.ts";

const VITE = fileURLToPath(new URL("../node_modules/vite/bin/vite.js", import.meta.url));
const port = Number(process.env.PORT ?? 8787);
const DEFAULT_DATA_DIR = resolve(".data");
const dataDir = resolve(process.env.CHATTR_DATA_DIR || DEFAULT_DATA_DIR);

/** Why this start refuses, and how to run a second instance on purpose. */
function refusal(error: DataDirBusyError): string {
  const { holder } = error;
  return [
    `Chattr is already running on the data folder ${error.dir}`,
    `(PID ${holder.pid}, started ${holder.startedAt}; lock file ${error.file}).`,
    "Two servers on one folder corrupt its database, so this one does not start.",
    "Stop the other one (Ctrl+C in its terminal), or run a second instance on purpose",
    "with its own data folder and port:",
    "",
    `  CHATTR_DATA_DIR=${relative(".", error.dir) || "."}-2 PORT=${port + 1} npm run dev`,
    "",
    `If PID ${holder.pid} is not a Chattr dev server, delete ${error.file} and start again.`,
  ].join("\n");
}

/**
 * Durable Object storage used to live in wrangler's default folder (.wrangler/state), apart
 * from the Postgres it pairs with; move it into the default data folder once, so existing
 * rooms keep their logs.
 */
function adoptWranglerDefaultState(persistTo: string): void {
  const legacy = resolve(".wrangler/state");
  if (dataDir !== DEFAULT_DATA_DIR || existsSync(persistTo) || !existsSync(legacy)) return;
  renameSync(legacy, persistTo);
  console.log(`Moved Durable Object storage from .wrangler/state to ${relative(".", persistTo)}`);
}

/** A local session secret, generated once into the git-ignored .dev.vars. */
function localSessionSecret(): string {
  const file = ".dev.vars";
  const existing = existsSync(file)
    ? /^SESSION_SECRET="?([^"\n]+)"?$/m.exec(readFileSync(file, "utf8"))
    : null;
  if (existing?.[1]) return existing[1];
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${existsSync(file) ? readFileSync(file, "utf8") : ""}SESSION_SECRET="${secret}"\n`, {
    mode: 0o600,
  });
  console.log("Generated a local session secret in .dev.vars");
  return secret;
}

function run(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: "inherit" });
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${args.join(" ")} exited ${code}`)),
    );
  });
}

// First of all, before any building: a second start on a folder in use refuses at once.
let lock: DataDirLock;
try {
  lock = lockDataDir(dataDir);
} catch (error) {
  if (!(error instanceof DataDirBusyError)) throw error;
  console.error(refusal(error));
  process.exit(1);
}
// Runs on every exit, including process.exit() from the signal handlers below. A server
// killed outright (SIGKILL, a crash of Node itself) leaves the lock behind; its PID is then
// gone, and the next start takes the lock over.
process.on("exit", () => lock.release());

let watcher: ChildProcess | undefined;
let server: Promise<DevServer> | undefined;
let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  watcher?.kill("SIGTERM");
  // A server still starting is stopped once it is up, so wrangler is not left behind.
  await server?.then(
    (running) => running.stop(),
    () => {},
  );
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
process.on("SIGHUP", shutdown);

// Loaded only now: the database and wrangler modules take seconds to import, and a refusal
// should not wait for them.
const { startDevServer } = await import("./dev-server.ts");
await run([VITE, "build", "--logLevel", "warn"]);
if (!stopping) {
  watcher = spawn(process.execPath, [VITE, "build", "--watch", "--logLevel", "warn"], { stdio: "inherit" });
  const persistTo = join(dataDir, "wrangler");
  adoptWranglerDefaultState(persistTo);
  server = startDevServer({
    port,
    sessionSecret: localSessionSecret(),
    databaseUrl: process.env.DATABASE_URL,
    dataDir: process.env.DATABASE_URL ? undefined : join(dataDir, "pglite"),
    persistTo,
    verbose: true,
  });
  const { databaseKind } = await server;
  console.log(
    `\nChattr is running on http://localhost:${port} (${databaseKind} Postgres, data in ${relative(".", dataDir) || "."}). Ctrl+C stops it.\n`,
  );
}
