// What the Workers tests' global setup hands to the tests (vitest `provide`/`inject`).
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    dbBridge: string;
    databaseKind: "embedded" | "server";
  }
}
