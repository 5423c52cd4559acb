import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// A fixed, test-only signing key: real deployments get theirs from a Worker secret.
const TEST_SESSION_SECRET = "test-only-session-secret-0123456789abcdef";

export default defineConfig({
  test: {
    projects: [
      {
        // Integration tests inside workerd: real Durable Objects, real sockets, real Postgres.
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                DATABASE_URL: inject("databaseUrl"),
                DB_BRIDGE: inject("dbBridge"),
                SESSION_SECRET: TEST_SESSION_SECRET,
                // 3 s instead of 60 s, so a vanished socket leaves presence within a test.
                PRESENCE_TIMEOUT_MS: "3000",
                // How many random runs the room model test makes (test/room-model.test.ts).
                ROOM_MODEL_RUNS: process.env.ROOM_MODEL_RUNS ?? "",
              },
            },
          })),
        ],
        test: {
          name: "workers",
          include: ["test/**/*.test.ts"],
          exclude: ["test/unit/**"],
          globalSetup: ["scripts/test/global-setup.ts"],
          // One file at a time: the outage tests cut the shared database connection.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Pure logic, in Node.
        test: { name: "unit", include: ["test/unit/**/*.test.ts"], environment: "node" },
      },
      {
        // A smoke run of the benchmark (`npm run bench`), seconds long, so the harness cannot rot.
        test: {
          name: "bench",
          include: ["scripts/bench/**/*.test.ts"],
          environment: "node",
          testTimeout: 180_000,
        },
      },
      {
        // The browser suite: headless Chromium against `wrangler dev`.
        test: {
          name: "e2e",
          include: ["e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
