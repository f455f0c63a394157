/**
 * The worker's configuration, read from its vars and secrets once per isolate and checked
 * with zod. A bad value fails with a TypeError naming the variable and what it expects.
 *
 * - RED360_API_URL: base URL of the Red 360 ingest API (required).
 * - RED360_SIGNING_KEY: secret, the private ES256 JWK with `kid` signing requests (required).
 * - RED360_TIMEOUT_MS: timeout of one request to Red 360; default 10000.
 * - SYNC_RETRY_DELAYS: seconds before each retry, comma-separated; default 60,120,240.
 * - OUTBOX_BATCH_SIZE: outbox rows one poller claim takes; default 500.
 * - OUTBOX_LEASE_SECONDS: how long a claim holds its rows; default 120.
 * - OUTBOX_TIME_BUDGET_MS: how long one poller run keeps claiming; default 20000.
 */
import { z } from 'zod'

const integer = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback)

const schema = z.object({
  RED360_API_URL: z.url({ protocol: /^https?$/ }),
  RED360_SIGNING_KEY: z.string().min(1),
  RED360_TIMEOUT_MS: integer(10_000, 100, 60_000),
  SYNC_RETRY_DELAYS: z
    .string()
    .default('60,120,240')
    .transform((value) => value.split(',').map((part) => Number(part.trim())))
    .pipe(z.array(z.number().int().min(0).max(43_200)).min(1).max(100)),
  OUTBOX_BATCH_SIZE: integer(500, 1, 5_000),
  OUTBOX_LEASE_SECONDS: integer(120, 5, 3_600),
  OUTBOX_TIME_BUDGET_MS: integer(20_000, 0, 600_000),
})

/** The checked configuration. */
export interface Config {
  red360ApiUrl: string
  red360SigningKey: string
  red360TimeoutMs: number
  /** Delay before retry n (0-based); a job gets `retryDelaysSeconds.length + 1` attempts. */
  retryDelaysSeconds: readonly number[]
  outboxBatchSize: number
  outboxLeaseSeconds: number
  outboxTimeBudgetMs: number
}

const cache = new WeakMap<object, Config>()

/** Reads and checks the configuration in `env`; the result is kept per `env` object. */
export function loadConfig(env: Env): Config {
  const cached = cache.get(env)
  if (cached !== undefined) {
    return cached
  }

  const parsed = schema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new TypeError(`invalid worker configuration: ${problems.join('; ')}`)
  }

  const config: Config = {
    red360ApiUrl: parsed.data.RED360_API_URL.replace(/\/+$/, ''),
    red360SigningKey: parsed.data.RED360_SIGNING_KEY,
    red360TimeoutMs: parsed.data.RED360_TIMEOUT_MS,
    retryDelaysSeconds: parsed.data.SYNC_RETRY_DELAYS,
    outboxBatchSize: parsed.data.OUTBOX_BATCH_SIZE,
    outboxLeaseSeconds: parsed.data.OUTBOX_LEASE_SECONDS,
    outboxTimeBudgetMs: parsed.data.OUTBOX_TIME_BUDGET_MS,
  }
  cache.set(env, config)
  return config
}
