// `npm run db:migrate`: applies prisma/migrations to the server named by DATABASE_URL with
// Prisma's own `migrate deploy` (the embedded database migrates itself on start).
import { runPrisma } from "./prisma";

if (!process.env.DATABASE_URL) {
  console.error("DATABASE_URL is not set. The embedded database migrates itself; set DATABASE_URL to migrate a server.");
  process.exit(1);
}
process.exit(runPrisma(["migrate", "deploy"]));
