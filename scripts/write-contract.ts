/**
 * Writes `docs/red360-ingest.openapi.json`, the OpenAPI document of the Red 360 ingest API as
 * the sandbox serves it, made from the zod schemas of `src/red360/contract.ts`. Run it after
 * changing the contract: a test fails while the committed document differs.
 *
 * The JSON is then formatted by Biome, because `npm run check` lints every JSON file and
 * Biome lays out short arrays differently from `JSON.stringify`.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { ingestApiDocument } from '../sandbox/app.ts'
import { projectRoot, runCommand } from './run-command.ts'

const contractDocumentPath = join('docs', 'red360-ingest.openapi.json')

const biome = join(projectRoot, 'node_modules', '.bin', 'biome')

async function main(): Promise<number> {
  const path = join(projectRoot, contractDocumentPath)
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, `${JSON.stringify(ingestApiDocument(), null, 2)}\n`)

  const formatted = await runCommand(biome, ['format', '--write', path], { quiet: true })
  if (formatted.exitCode !== 0) {
    console.error(formatted.output)
    return formatted.exitCode
  }

  console.log(`Wrote ${contractDocumentPath}`)
  return 0
}

process.exitCode = await main()
