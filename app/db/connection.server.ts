// Turns a postgres:// URL into discrete pg pool options. pg lets a connection string
// override `database`, and without allowExitOnIdle every Prisma CLI call hangs ~10 s
// (../shared/PLATFORM.md), so the URL is never passed through whole.
import pg, { type PoolConfig } from "pg";

export function poolConfigFromUrl(url: string, overrides: PoolConfig = {}): PoolConfig {
  const parsed = new URL(url);
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new Error(`DATABASE_URL must be a postgres:// URL, got ${parsed.protocol}`);
  }
  return {
    host: parsed.hostname || "127.0.0.1",
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username || "postgres"),
    password: decodeURIComponent(parsed.password || ""),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, "") || "postgres"),
    allowExitOnIdle: true,
    ...overrides,
  };
}

/** How long the app waits on its database before failing the request (ms). */
export interface DatabaseTimeouts {
  /** Opening a connection (a stalled or unreachable server). */
  connect: number;
  /** One statement, measured by the client (holds even when the server cannot answer). */
  query: number;
  /** One statement, enforced by the server (frees its resources too). */
  statement: number;
  /** A transaction left open by a stuck request. */
  idleInTransaction: number;
}

export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = { connect: 5_000, query: 15_000, statement: 10_000, idleInTransaction: 15_000 };

const positive = (value: string | undefined, fallback: number) => (value && /^\d+$/.test(value) && Number(value) > 0 ? Number(value) : fallback);

/** Timeouts from the environment (DATABASE_CONNECT_TIMEOUT_MS, DATABASE_QUERY_TIMEOUT_MS,
 *  DATABASE_STATEMENT_TIMEOUT_MS), else the defaults. */
export function databaseTimeouts(env: Record<string, string | undefined> = process.env): DatabaseTimeouts {
  const query = positive(env.DATABASE_QUERY_TIMEOUT_MS, DEFAULT_DATABASE_TIMEOUTS.query);
  return {
    connect: positive(env.DATABASE_CONNECT_TIMEOUT_MS, DEFAULT_DATABASE_TIMEOUTS.connect),
    query,
    statement: Math.min(query, positive(env.DATABASE_STATEMENT_TIMEOUT_MS, DEFAULT_DATABASE_TIMEOUTS.statement)),
    idleInTransaction: Math.max(query, DEFAULT_DATABASE_TIMEOUTS.idleInTransaction),
  };
}

const READ_TIMEOUT = /Query read timeout/;

/**
 * pg gives up on a statement after `query_timeout` but keeps the connection, whose late
 * answer (or silence) then meets the next statement. A connection that timed out is
 * closed instead, so the pool never hands it out again.
 */
export class TimeoutSafeClient extends pg.Client {
  query(...args: unknown[]): never {
    const drop = (error: unknown) => {
      if (READ_TIMEOUT.test((error as Error | null)?.message ?? "")) (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
    };
    const last = args.length - 1;
    if (typeof args[last] == "function") {
      const callback = args[last] as (error: unknown, result: unknown) => void;
      args[last] = (error: unknown, result: unknown) => {
        if (error) drop(error);
        callback(error, result);
      };
    }
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result && typeof (result as Promise<unknown>).then == "function") {
      return (result as Promise<unknown>).catch((error: unknown) => {
        drop(error);
        throw error;
      }) as never;
    }
    return result as never;
  }
}

/**
 * The app's pool: a stalled database fails a request within the timeouts instead of
 * hanging it, and a connection whose statement timed out is thrown away (pg's pool drops a
 * client released with an error), so once the database answers again the next request
 * opens a fresh connection and succeeds at once.
 */
export function appPoolConfig(url: string, timeouts: DatabaseTimeouts = databaseTimeouts(), overrides: PoolConfig = {}): PoolConfig {
  return {
    ...poolConfigFromUrl(url),
    max: 10,
    Client: TimeoutSafeClient,
    connectionTimeoutMillis: timeouts.connect,
    query_timeout: timeouts.query,
    statement_timeout: timeouts.statement,
    idle_in_transaction_session_timeout: timeouts.idleInTransaction,
    // Idle connections are closed, so a server that restarted is not met with dead sockets.
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    ...overrides,
  };
}
