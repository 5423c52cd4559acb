// Types for `cloudflare:workers` inside the tests: our bindings and our main module.
import type { Env as ChattrEnv } from "../worker/env.ts";

declare global {
  namespace Cloudflare {
    interface Env extends ChattrEnv {
      /** Test-only: how many random runs the room model test makes (vitest.config.ts). */
      ROOM_MODEL_RUNS?: string;
    }
    interface GlobalProps {
      mainModule: typeof import("../worker/index.ts");
    }
  }
}
