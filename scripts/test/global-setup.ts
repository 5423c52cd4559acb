// Vitest global setup for the Workers tests: a throwaway Postgres (embedded, or a fresh
// database on the server in DATABASE_URL), migrated, behind the loopback bridge.
import type { TestProject } from "vitest/node";
import { startLocalDatabase } from "../db/local-database.ts";

export default async function setup(project: TestProject) {
  const database = await startLocalDatabase({ serverUrl: process.env.DATABASE_URL, throwaway: true });
  project.provide("databaseUrl", database.url);
  project.provide("dbBridge", database.bridge.address);
  project.provide("databaseKind", database.kind);
  console.log(`workers tests: ${database.kind} Postgres via bridge ${database.bridge.address}`);
  return () => database.stop();
}
