// `npm run dev`: builds the web app (and rebuilds it on change), then serves everything
// on http://localhost:$PORT (8787 by default) with a persistent embedded Postgres.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { startDevServer } from "./dev-server.ts";

const require = createRequire(import.meta.url);
// vite's package.json "exports" hide bin/, so resolve the package folder instead.
const VITE = join(dirname(require.resolve("vite/package.json")), "bin", "vite.js");
const port = Number(process.env.PORT ?? 8787);

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

await run([VITE, "build", "--logLevel", "warn"]);
const watcher = spawn(process.execPath, [VITE, "build", "--watch", "--logLevel", "warn"], {
  stdio: "inherit",
});

mkdirSync(".data", { recursive: true });
const server = await startDevServer({
  port,
  sessionSecret: localSessionSecret(),
  databaseUrl: process.env.DATABASE_URL,
  dataDir: process.env.DATABASE_URL ? undefined : ".data/pglite",
  verbose: true,
});
console.log(
  `\nChattr is running on http://localhost:${port} (${server.databaseKind} Postgres). Ctrl+C stops it.\n`,
);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  watcher.kill("SIGTERM");
  await server.stop();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
