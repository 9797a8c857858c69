// Prisma CLI configuration: the WASM schema engine and the pg driver adapter, so no
// engine binary is ever downloaded (see ../shared/PLATFORM.md). The connection comes
// from DATABASE_URL (scripts/db-migrate.ts sets it to the embedded server when unset).
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
import { poolConfigFromUrl } from "./app/db/connection.server";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  adapter: async () => {
    // Commands that need no database (generate, migrate diff) still build the adapter;
    // it only connects on first use, so a missing URL surfaces as a connection error there.
    const url = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
    return new PrismaPg(poolConfigFromUrl(url));
  },
});
