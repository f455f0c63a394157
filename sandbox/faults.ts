/**
 * Fault injection: rules that make the sandbox fail the way a real Red 360 can, so that the
 * worker's retries, backoff and timeouts can be exercised. Rules are checked before a /v1
 * request is authenticated, like a failure in front of the service.
 */
import type { Context, MiddlewareHandler } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { z } from 'zod'
import { entityTypes } from '../src/red360/contract.ts'
import { errorBody } from './answers.ts'
import type { SandboxEnv } from './env.ts'
import type { RequestTarget } from './target.ts'

/** The longest delay a rule may add, so that a mistyped rule cannot hang a test run. */
export const MAX_LATENCY_MS = 120_000

/** The schema of one fault rule, as `PUT /_sandbox/faults` takes it. */
export const faultRule = z
  .strictObject({
    /** Which requests the rule applies to; an absent field matches anything. */
    match: z
      .strictObject({
        method: z.enum(['PUT', 'DELETE', 'POST']).optional(),
        type: z.enum([...entityTypes, 'notification']).optional(),
        id: z.number().int().positive().optional(),
      })
      .optional(),
    /** The status to answer with `{ error: 'injected_fault' }`. */
    status: z.number().int().min(400).max(599).optional(),
    /** Seconds, sent as `Retry-After` with `status`. */
    retry_after: z.number().int().nonnegative().optional(),
    /** A delay before the rule's answer, or before normal handling when it has no answer. */
    latency_ms: z.number().int().nonnegative().max(MAX_LATENCY_MS).optional(),
    /** The probability that the rule fires on a matching request. Default 1. */
    error_rate: z.number().min(0).max(1).optional(),
    /** How many more times the rule fires; absent means forever. */
    times: z.number().int().positive().optional(),
    /** Drop the connection without answering, like a network failure. */
    outage: z.boolean().optional(),
  })
  .refine((rule) => rule.status !== undefined || rule.outage || rule.latency_ms !== undefined, {
    message: 'A rule needs status, outage or latency_ms.',
  })
  .refine((rule) => !(rule.status !== undefined && rule.outage), {
    message: 'A rule cannot both answer a status and drop the connection.',
  })

/** One fault rule. */
export type FaultRule = z.infer<typeof faultRule>

/** The body of `PUT /_sandbox/faults` and of its `GET`. */
export const faultRules = z.strictObject({ rules: z.array(faultRule) })

/** Options for {@link FaultInjector}. */
export interface FaultInjectorOptions {
  /** The source of `error_rate` draws, in [0, 1). Default `Math.random`. */
  random?: () => number
}

/** The current fault rules of one sandbox. */
export class FaultInjector {
  #rules: FaultRule[] = []
  readonly #random: () => number

  constructor(options: FaultInjectorOptions = {}) {
    this.#random = options.random ?? Math.random
  }

  /** Replaces every rule. */
  replace(rules: readonly FaultRule[]): void {
    this.#rules = rules.map((rule) => ({ ...rule }))
  }

  /** The rules as they stand, with what is left of each `times`. */
  list(): FaultRule[] {
    return this.#rules.map((rule) => ({ ...rule }))
  }

  /** Removes every rule. */
  clear(): void {
    this.#rules = []
  }

  /**
   * The first rule that matches the request and fires, counting it down; a rule whose `times`
   * runs out is removed.
   */
  draw(method: string, target: RequestTarget): FaultRule | undefined {
    const rule = this.#rules.find(
      (candidate) => matches(candidate, method, target) && this.#fires(candidate),
    )
    if (rule?.times !== undefined) {
      rule.times -= 1
      if (rule.times === 0) {
        this.#rules = this.#rules.filter((candidate) => candidate !== rule)
      }
    }

    return rule && { ...rule }
  }

  #fires(rule: FaultRule): boolean {
    return this.#random() < (rule.error_rate ?? 1)
  }
}

/** Middleware applying the first rule that fires, before the request is handled. */
export function injectFaults(faults: FaultInjector): MiddlewareHandler<SandboxEnv> {
  return async function injectFault(c, next) {
    const rule = faults.draw(c.req.method, c.get('target'))
    if (!rule) {
      return next()
    }

    if (rule.latency_ms) {
      await new Promise((resolve) => setTimeout(resolve, rule.latency_ms))
    }

    if (rule.outage) {
      return dropConnection(c)
    }
    if (rule.status === undefined) {
      return next()
    }

    if (rule.retry_after !== undefined) {
      c.header('Retry-After', String(rule.retry_after))
    }
    return c.json(
      errorBody('injected_fault', `A sandbox fault rule answered ${rule.status}.`),
      rule.status as ContentfulStatusCode,
    )
  }
}

function matches(rule: FaultRule, method: string, target: RequestTarget): boolean {
  const { match = {} } = rule
  return (
    (match.method === undefined || match.method === method) &&
    (match.type === undefined || match.type === target.type) &&
    (match.id === undefined || match.id === target.id)
  )
}

/**
 * Destroys the socket under the request. The response returned afterwards is never written;
 * it exists only because a Hono handler must return one.
 */
function dropConnection(c: Context<SandboxEnv>): Response {
  const socket = c.env.incoming?.socket
  if (!socket) {
    throw new Error('An outage rule needs a Node.js HTTP server: there is no socket to drop.')
  }

  socket.destroy()
  c.set('dropped', true)
  return c.body(null, 503)
}
