// `npm run db:migrate`: applies migrations/ to the server in DATABASE_URL. A server on
// this machine is reached through the loopback bridge; anything else (Neon) directly.
import { migrateDatabase } from "./migrate.ts";
import { startBridge } from "./ws-bridge.ts";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL to the Postgres server to migrate (e.g. your Neon connection string).");
  process.exit(1);
}
const { hostname, port } = new URL(url);
const local = ["localhost", "127.0.0.1", "[::1]", "::1"].includes(hostname);
const bridge = local
  ? await startBridge({ host: hostname.replace(/^\[|\]$/g, ""), port: Number(port || 5432) })
  : undefined;
try {
  await migrateDatabase(url, bridge?.address);
  console.log(`Migrations applied to ${hostname}.`);
} catch (error) {
  console.error("Migration failed:", error);
  process.exitCode = 1;
} finally {
  await bridge?.stop();
}
