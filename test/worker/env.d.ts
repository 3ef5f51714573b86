// Types of the bindings tests see: the Worker's (worker-configuration.d.ts, from `wrangler types`,
// which also types `exports.default`) plus the migrations list the pool injects.
import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}
