// Runs a Worker for the benchmark in the same workerd and with the same options as
// `wrangler dev` (read from its wrangler.toml by wrangler itself, bundled by `wrangler deploy
// --dry-run`), but through Miniflare directly: without the development proxy that `wrangler
// dev` puts in front of the Worker (a second workerd that relays every WebSocket frame, for
// live reload). Production has no such relay, and on this 2-core machine it took a third of
// the server CPU; docs/PERFORMANCE.md has the measurement.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { convertV4MiniflareOptions, Miniflare, type V4MiniflareOptions } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

const WRANGLER = fileURLToPath(new URL("../../../node_modules/wrangler/bin/wrangler.js", import.meta.url));

export interface WorkerdAppOptions {
  /** The Worker's wrangler.toml. */
  config: string;
  port: number;
  /** Variables and secrets, as `--var` would give them. */
  vars?: Record<string, string>;
  /** Folder for every local resource (Durable Object SQLite files included); a temporary folder on disk when absent. */
  persistTo?: string;
  /** Opens V8's inspector on this port (scripts/bench/profile.ts attaches to it). */
  inspectorPort?: number;
}

export interface WorkerdApp {
  url: string;
  stop(): Promise<void>;
}

export async function startWorkerdApp(options: WorkerdAppOptions): Promise<WorkerdApp> {
  const bundleDir = mkdtempSync(join(tmpdir(), "bench-bundle-"));
  // Miniflare ends the process on SIGTERM before `stop` is done: tidy up on exit too.
  process.once("exit", () => rmSync(bundleDir, { recursive: true, force: true }));
  try {
    const scriptPath = bundle(options.config, bundleDir);
    // Typed loosely by wrangler (its bundled copy of Miniflare's types); the shape is Miniflare's.
    const workerOptions = unstable_getMiniflareWorkerOptions(options.config).workerOptions as unknown as {
      bindings?: Record<string, unknown>;
    };
    // Given in Miniflare 4's shape, which is what wrangler produces, and converted as `wrangler dev` does.
    const v4Options = {
      ...withoutEmptyOptions(workerOptions),
      // Module paths are resolved below the root; the bundle is one file in its own folder.
      rootPath: bundleDir,
      modules: true,
      scriptPath,
      bindings: { ...workerOptions.bindings, ...options.vars },
      host: "127.0.0.1",
      port: options.port,
      ...(options.inspectorPort ? { inspectorPort: options.inspectorPort } : {}),
      // Where every local resource lives (Durable Object SQLite files included); Miniflare
      // makes a temporary folder on disk when it is not given.
      ...(options.persistTo ? { resourcePersistencePath: options.persistTo } : {}),
    } as V4MiniflareOptions;
    const miniflare = new Miniflare(convertV4MiniflareOptions(v4Options));
    const url = (await miniflare.ready).toString().replace(/\/$/, "");
    return {
      url,
      async stop() {
        await miniflare.dispose();
        rmSync(bundleDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(bundleDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * The options that say something: wrangler lists every binding kind, mostly empty, and
 * module rules the bundle no longer needs; the conversion refuses some of those.
 */
function withoutEmptyOptions(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(options).filter(
      ([key, value]) =>
        key !== "modulesRules" &&
        !(Array.isArray(value) && value.length === 0) &&
        !(typeof value === "object" && value !== null && Object.keys(value).length === 0),
    ),
  );
}

/** Bundles the Worker exactly as a deploy would, and returns the entry module's path. */
function bundle(config: string, outDir: string): string {
  const result = spawnSync(
    process.execPath,
    [WRANGLER, "deploy", "--dry-run", "--config", config, "--outdir", outDir],
    { encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false", FORCE_COLOR: "0" } },
  );
  if (result.status !== 0) throw new Error(`bundling ${config} failed:\n${result.stdout}${result.stderr}`);
  const entry = readdirSync(outDir).find((name) => name.endsWith(".js"));
  if (!entry) throw new Error(`bundling ${config} produced no .js file in ${outDir}`);
  return join(outDir, entry);
}
