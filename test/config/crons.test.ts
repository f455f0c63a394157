import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { tasksByCron } from '../../src/scheduled/handler'

async function configuredCrons(): Promise<string[]> {
  const toml = await readFile(new URL('../../wrangler.toml', import.meta.url), 'utf8')
  const list = toml.match(/^crons\s*=\s*\[(.*)\]$/m)?.[1] ?? ''
  return [...list.matchAll(/"([^"]+)"/g)].map((match) => match[1] ?? '')
}

describe('cron triggers', () => {
  it('give every cron expression of wrangler.toml its tasks, and no others', async () => {
    expect((await configuredCrons()).sort()).toEqual(Object.keys(tasksByCron).sort())
  })
})
