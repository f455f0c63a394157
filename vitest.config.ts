import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

/** Nothing listens on port 1 of the loopback: connecting there fails at once. */
const unreachableCrmUrl = 'mysql://red360_test:red360-test-password@127.0.0.1:1/red360_none'

export default defineConfig({
  test: {
    globalSetup: ['./test/setup/crm-databases.ts'],
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/crm/**/*.test.ts', 'test/config/**/*.test.ts'],
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
              bindings: { TEST_D1_MIGRATIONS: await readD1Migrations('migrations/d1') },
            },
          })),
        ],
        test: {
          name: 'worker',
          include: ['test/worker/**/*.test.ts'],
          setupFiles: ['./test/setup/d1-migrations.ts'],
        },
      },
    ],
  },
})
