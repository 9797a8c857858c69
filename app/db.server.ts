// The one Prisma client. It reads DATABASE_URL, which the server entry sets to the
// embedded database when the merchant's environment names none (server/index.ts).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { poolConfigFromUrl } from "./db/connection.server";

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
  const adapter = new PrismaPg(poolConfigFromUrl(url, { max: 10 }));
  return new PrismaClient({ adapter });
}

// One client per process, also across Vite's hot reloads in development.
const prisma: PrismaClient = globalThis.cartliftPrisma ?? createClient();
if (process.env.NODE_ENV !== "production") globalThis.cartliftPrisma = prisma;

export default prisma;
