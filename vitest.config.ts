import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

/** Nothing listens on port 1 of the loopback: connecting there fails at once. */
const unreachableCrmUrl = 'mysql://red360_test:red360-test-password@127.0.0.1:1/red360_none'

export default defineConfig({
  test: {
    // The worker logs a JSON line per job; show logs only for the tests that fail.
    silent: 'passed-only',
    globalSetup: ['./test/setup/crm-databases.ts', './test/setup/red360-sandbox.ts'],
    projects: [
      {
        test: {
          name: 'node',
          include: [
            'test/crm/**/*.test.ts',
            'test/config/**/*.test.ts',
            'test/unit/**/*.test.ts',
            'test/transform/**/*.test.ts',
            'test/sandbox/**/*.test.ts',
          ],
          environment: 'node',
        },
      },
      {
        plugins: [
          cloudflareTest(async ({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              hyperdrives: {
                CRM_DB: inject('workerCrmUrl'),
                CRM_DB_UNREACHABLE: unreachableCrmUrl,
              },
              bindings: {
                TEST_D1_MIGRATIONS: await readD1Migrations('migrations/d1'),
                RED360_API_URL: inject('red360Url'),
                RED360_SIGNING_KEY: inject('signingKey'),
                SIGNING_PUBLIC_KEY: inject('signingPublicKey'),
                // Retries a second apart keep the retry tests short; the policy is the same.
                SYNC_RETRY_DELAYS: '1,1,1',
                // Kept in step with test/worker/support/webhooks.ts.
                CRM_WEBHOOK_SECRETS: `crm-test-secret, whsec_${btoa('crm-standard-secret-bytes')}`,
                RED360_WEBHOOK_SECRETS: `whsec_${btoa('red360-test-secret-bytes')}`,
                API_TOKEN_SECRET: 'test-api-token-secret-of-at-least-32-bytes',
              },
              queueConsumers: {
                'red360-sync-jobs': {
                  maxBatchSize: 25,
                  maxBatchTimeout: 0.05,
                  maxRetries: 3,
                  retryDelay: 1,
                  deadLetterQueue: 'red360-sync-jobs-dlq',
                },
                'red360-sync-jobs-dlq': { maxBatchSize: 25, maxBatchTimeout: 0.05, maxRetries: 3 },
              },
            },
          })),
        ],
        test: {
          name: 'worker',
          include: ['test/worker/**/*.test.ts'],
          setupFiles: ['./test/setup/d1-migrations.ts'],
          // The files share one CRM database, one sandbox and one queue: run them one by one.
          fileParallelism: false,
          testTimeout: 30_000,
        },
      },
    ],
  },
})
