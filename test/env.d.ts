/** Bindings that only the test configuration (vitest.config.ts) adds to the worker's Env. */
import type { D1Migration } from 'cloudflare:test'

declare global {
  namespace Cloudflare {
    interface Env {
      /** The D1 migrations, read from migrations/d1 by the test configuration. */
      TEST_D1_MIGRATIONS: D1Migration[]
      /** A Hyperdrive binding whose database does not answer (nothing listens on its port). */
      CRM_DB_UNREACHABLE: Hyperdrive
      /** The public JWK (JSON) the sandbox trusts, the half of RED360_SIGNING_KEY. */
      SIGNING_PUBLIC_KEY: string
    }
  }
}
