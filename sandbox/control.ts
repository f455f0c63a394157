/**
 * The sandbox's control API under `/_sandbox`: reset, fault rules, and read access to what the
 * sandbox received. It has no authentication: the sandbox listens on the loopback only, for
 * tests and local development, and this API is not part of the Red 360 contract.
 */
import { Hono } from 'hono'
import { type EntityType, entityTypes } from '../src/red360/contract.ts'
import { errorBody, validationFailed } from './answers.ts'
import type { SandboxEnv } from './env.ts'
import { faultRules } from './faults.ts'
import { resetSandboxState, type SandboxState } from './state.ts'

/** The control routes, to be mounted at `/_sandbox`. */
export function controlRoutes(state: SandboxState): Hono<SandboxEnv> {
  const control = new Hono<SandboxEnv>()

  control.post('/reset', (c) => {
    resetSandboxState(state)
    return c.body(null, 204)
  })

  control.get('/faults', (c) => c.json({ rules: state.faults.list() }))

  control.put('/faults', async (c) => {
    const body: unknown = await c.req.json().catch(() => undefined)
    if (body === undefined) {
      return c.json(errorBody('invalid_json', 'The body is not valid JSON.'), 400)
    }

    const parsed = faultRules.safeParse(body)
    if (!parsed.success) {
      return c.json(validationFailed(parsed.error), 422)
    }

    state.faults.replace(parsed.data.rules)
    return c.json({ rules: state.faults.list() })
  })

  control.get('/entities/:type', (c) => {
    const type = entityType(c.req.param('type'))
    if (!type) {
      return c.json(errorBody('not_found', 'No such entity type.'), 404)
    }

    return c.json(state.entities.list(type))
  })

  control.get('/entities/:type/:id', (c) => {
    const type = entityType(c.req.param('type'))
    const record = type && state.entities.get(type, Number(c.req.param('id')))
    if (!record) {
      return c.json(errorBody('not_found', 'The sandbox holds no such entity.'), 404)
    }

    return c.json(record)
  })

  control.get('/notifications', (c) => c.json(state.notifications))

  control.get('/requests', (c) => c.json(state.requests.list()))

  return control
}

function entityType(name: string): EntityType | undefined {
  return entityTypes.find((type) => type === name)
}
