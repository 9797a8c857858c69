// Turns a postgres:// URL into discrete pg pool options. pg lets a connection string
// override `database`, and without allowExitOnIdle every Prisma CLI call hangs ~10 s
// (../shared/PLATFORM.md), so the URL is never passed through whole.
import type { PoolConfig } from "pg";

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
