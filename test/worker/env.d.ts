// Types of the bindings tests see: the Worker's Env plus the migrations list the pool injects.
import type { D1Migration } from "cloudflare:test";
import type { Env as WorkerEnv } from "../../src/env";

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {
      TEST_MIGRATIONS: D1Migration[];
      ADMIN_TOKEN: string;
    }
    // The Worker's exports, so `exports.default.fetch()` is typed in tests.
    interface GlobalProps {
      mainModule: typeof import("../../src/index");
      durableNamespaces: "RateLimiter";
    }
  }
}

