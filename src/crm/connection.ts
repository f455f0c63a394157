/**
 * Connections to the CRM database (MySQL or MariaDB) through the Hyperdrive binding, with
 * the mysql2 driver.
 *
 * Hyperdrive pools the real connections at the edge, so a connection per invocation is the
 * intended use: open, query, end.
 */
import { type Connection, createConnection } from 'mysql2/promise'

/** Options for {@link openCrmConnection}. */
export interface CrmConnectionOptions {
  /** How long to wait for the connection handshake, in milliseconds. Default 5000. */
  connectTimeoutMs?: number
}

/** A CRM connection that must be ended once the work is done. */
export type CrmConnection = Connection

/** Opens a connection to the CRM database behind `hyperdrive`. */
export function openCrmConnection(
  hyperdrive: Hyperdrive,
  options: CrmConnectionOptions = {},
): Promise<CrmConnection> {
  return createConnection({
    host: hyperdrive.host,
    port: hyperdrive.port,
    user: hyperdrive.user,
    password: hyperdrive.password,
    database: hyperdrive.database,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    // workerd forbids code generation from strings, which mysql2 uses for its row parsers.
    disableEval: true,
    // The CRM stores wall-clock times in UTC; return them as given rather than shifting them.
    timezone: 'Z',
    dateStrings: true,
    // DECIMAL columns (ratings) as numbers rather than strings.
    decimalNumbers: true,
  })
}

/**
 * Runs `work` with a fresh CRM connection and ends the connection afterwards, whether `work`
 * succeeded or not.
 */
export async function withCrmConnection<T>(
  hyperdrive: Hyperdrive,
  work: (connection: CrmConnection) => Promise<T>,
  options: CrmConnectionOptions = {},
): Promise<T> {
  const connection = await openCrmConnection(hyperdrive, options)

  try {
    return await work(connection)
  } finally {
    // A broken connection cannot end politely; destroying it is all that is left to do.
    await connection.end().catch(() => connection.destroy())
  }
}
