// Types for `cloudflare:workers` inside the tests: our bindings and our main module.
import type { Env as ChattrEnv } from "../worker/env.ts";

declare global {
  namespace Cloudflare {
    interface Env extends ChattrEnv {}
    interface GlobalProps {
      mainModule: typeof import("../worker/index.ts");
    }
  }
}
