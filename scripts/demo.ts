/**
 * `npm run demo`: watch CRM changes arrive in Red 360. It starts its own local stack (worker
 * on 8797, sandbox on 8798, CRM database red360_demo, state under .wrangler/demo, so it never
 * disturbs `npm start`), seeds agencies, packages and users, changes some of them, and prints
 * what the sandbox received after each step. The cron is fired at once instead of waiting up
 * to a minute for it.
 */
import mysql, { type Connection } from 'mysql2/promise'
import { crmAdminUrl } from './crm-database.ts'
import { startLocalStack, waitForWorker } from './local-stack.ts'

const databaseUrl = 'mysql://red360:red360-local@127.0.0.1:3306/red360_demo'

interface StoredEntity {
  type: string
  id: number
  version: number
  deleted: boolean
  representation: Record<string, unknown> | null
}

const shownFields: Record<string, string[]> = {
  agency: ['name', 'active'],
  package: ['title', 'status', 'includes'],
  user: ['name', 'role'],
}

async function seed(crm: Connection): Promise<void> {
  await crm.query(
    `INSERT INTO agencies (id, name, slug, status, email) VALUES
     (1, 'Andes Travel', 'andes-travel', 'activo', 'hola@andes.example'),
     (2, 'Costa Verde Tours', 'costa-verde', 'activo', 'info@costaverde.example'),
     (3, 'Selva Viva', 'selva-viva', 'pendiente', NULL)`,
  )
  await crm.query(
    `INSERT INTO packages (id, agency_id, title, destination, include, no_include, status) VALUES
     (1, 1, 'Machu Picchu 4 días', 'Cusco', '["Hotel","Tren"]', 'Vuelos', 'active'),
     (2, 1, 'Valle Sagrado', 'Urubamba', 'Guía\nAlmuerzo', NULL, 'active'),
     (3, 2, 'Paracas y Huacachina', 'Ica', 'Bus, Tubular', NULL, 'active'),
     (4, 3, 'Amazonas 3 días', 'Iquitos', NULL, NULL, 'draft')`,
  )
  await crm.query(
    `INSERT INTO users (id, agency_id, name, email, role, status) VALUES
     (1, 1, 'Ana Quispe', 'ana@andes.example', 'admin', 'active'),
     (2, 2, 'Luis Rojas', 'luis@costaverde.example', 'agent', 'active')`,
  )
}

async function change(crm: Connection): Promise<void> {
  await crm.query("UPDATE agencies SET name = 'Andes Travel Perú' WHERE id = 1")
  await crm.query("UPDATE agencies SET status = 'activo' WHERE id = 3")
  await crm.query("UPDATE packages SET title = 'Machu Picchu 5 días' WHERE id = 1")
  await crm.query("UPDATE packages SET status = 'active' WHERE id = 4")
  await crm.query('DELETE FROM users WHERE id = 2')
}

async function sandboxEntities(sandboxUrl: string): Promise<StoredEntity[]> {
  const all: StoredEntity[] = []
  for (const type of ['agency', 'package', 'user']) {
    const response = await fetch(`${sandboxUrl}/_sandbox/entities/${type}`)
    all.push(...((await response.json()) as StoredEntity[]))
  }
  return all
}

async function waitFor(
  sandboxUrl: string,
  done: (entities: StoredEntity[]) => boolean,
): Promise<StoredEntity[]> {
  const deadline = Date.now() + 60_000
  for (;;) {
    const entities = await sandboxEntities(sandboxUrl)
    if (done(entities) || Date.now() > deadline) {
      return entities
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

async function waitForNotifications(
  sandboxUrl: string,
  count: number,
): Promise<Record<string, unknown>[]> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const response = await fetch(`${sandboxUrl}/_sandbox/notifications`)
    const notes = (await response.json()) as Record<string, unknown>[]
    if (notes.length >= count || Date.now() > deadline) {
      return notes
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

function show(entities: StoredEntity[]): void {
  const rows = entities.map((entity) => {
    const fields = shownFields[entity.type] ?? []
    const values = fields.map((field) => JSON.stringify(entity.representation?.[field] ?? null))
    const state = entity.deleted ? 'deleted' : values.join('  ')
    const id = String(entity.id).padStart(2)
    return `  ${entity.type.padEnd(8)} ${id}  v${entity.version}  ${state}`
  })
  console.log(rows.join('\n'))
}

async function main(): Promise<void> {
  console.log('Starting a local stack for the demo (worker :8797, sandbox :8798)…')
  const stack = await startLocalStack({
    databaseUrl,
    adminUrl: crmAdminUrl,
    workerPort: 8797,
    sandboxPort: 8798,
    persistTo: '.wrangler/demo',
    wranglerArgs: ['--inspector-port', '9239'],
    verbose: false,
    fresh: true,
  })

  const crm = await mysql.createConnection(databaseUrl)
  try {
    await waitForWorker(stack.workerUrl)
    await fetch(`${stack.sandboxUrl}/_sandbox/reset`, { method: 'POST' })

    console.log('\n1. Seeding the CRM: 3 agencies, 4 packages, 2 users; firing the cron.')
    await seed(crm)
    await stack.fireCron()
    show(await waitFor(stack.sandboxUrl, (entities) => entities.length >= 9))

    console.log('\n2. Changing the CRM: two agencies, two packages, deleting a user.')
    await change(crm)
    await stack.fireCron()
    const changed = (e: StoredEntity[]) => e.filter((x) => x.version > 1).length >= 5
    show(await waitFor(stack.sandboxUrl, changed))

    console.log('\n3. Follower notifications Red 360 was asked to send:')
    for (const note of await waitForNotifications(stack.sandboxUrl, 6)) {
      console.log(`  ${note.event} package ${note.package_id} v${note.version}: ${note.changed}`)
    }
  } finally {
    await crm.end()
    stack.stop()
  }
}

try {
  await main()
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
}
