/**
 * Reading `mysql://` connection URLs for the CRM database, with errors that name the variable
 * at fault.
 */

/** The parts of a CRM connection URL. */
export interface CrmUrlParts {
  user: string
  password: string
  host: string
  port: number
  database: string
}

/** Parses a `mysql://user:password@host:port/database` URL; `label` names it in errors. */
export function parseCrmUrl(value: string, label: string): CrmUrlParts {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new TypeError(`${label} is not a URL; expected mysql://user:password@host:3306/db`)
  }

  if (url.protocol !== 'mysql:') {
    throw new TypeError(`${label} must start with mysql://, got ${url.protocol}//`)
  }

  return {
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    host: url.hostname,
    port: url.port === '' ? 3306 : Number(url.port),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')),
  }
}

/** Reads a required `mysql://` URL from the environment, or throws naming the variable. */
export function requireCrmUrl(name: string, fallback?: string): string {
  const value = process.env[name] ?? fallback

  if (value === undefined || value === '') {
    throw new TypeError(`${name} is not set; expected mysql://user:password@host:3306/db`)
  }

  const parts = parseCrmUrl(value, name)
  if (parts.database === '') {
    throw new TypeError(`${name} names no database; expected mysql://user:password@host:3306/db`)
  }

  return value
}
