// The one Prisma client. It reads DATABASE_URL, which the server entry sets to the
// embedded database when the merchant's environment names none (server/index.ts).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import type { PoolConfig } from "pg";
import { appPoolConfig } from "./db/connection.server";

declare global {
  // eslint-disable-next-line no-var
  var cartliftPrisma: PrismaClient | undefined;
}

function createClient(): PrismaClient {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      "DATABASE_URL is not set: start the app through `npm run demo` / `npm start`, which start the embedded database",
    );
  }
  return createPrismaClient(url);
}

/** A Prisma client on `url` with the app's pool settings (timeouts: appPoolConfig). */
export function createPrismaClient(url: string, pool: PoolConfig = appPoolConfig(url)): PrismaClient {
  // Interactive transactions give up as fast as a single statement would.
  const timeout = Number(pool.query_timeout ?? 15_000);
  return new PrismaClient({ adapter: new PrismaPg(pool), transactionOptions: { maxWait: Number(pool.connectionTimeoutMillis ?? 5_000), timeout } });
}

// One client per process, also across Vite's hot reloads in development.
const prisma: PrismaClient = globalThis.cartliftPrisma ?? createClient();
if (process.env.NODE_ENV !== "production") globalThis.cartliftPrisma = prisma;

export default prisma;
