/** Applies the D1 migrations to the test's local D1 before the worker tests run. */
import { applyD1Migrations } from 'cloudflare:test'
import { env } from 'cloudflare:workers'

await applyD1Migrations(env.SYNC_DB, env.TEST_D1_MIGRATIONS)
