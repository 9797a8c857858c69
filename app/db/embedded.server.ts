// The embedded database: PGlite (PostgreSQL compiled to WASM) served over the Postgres
// wire protocol on loopback, so Prisma's ordinary pg adapter talks to it exactly as to
// a real server. Used when DATABASE_URL is not set. The socket server runs whole
// transactions one at a time, which keeps isolation correct (../shared/PLATFORM.md).
import { mkdir } from "node:fs/promises";
import type { AddressInfo, Server } from "node:net";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { applyMigrations } from "./migrate.server";

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Folder for the data files; omit for an in-memory database (tests). */
  dataDir?: string;
  /** Loopback port; 0 picks a free one. */
  port?: number;
}

export async function startEmbeddedPostgres(options: EmbeddedOptions = {}): Promise<EmbeddedPostgres> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const db = options.dataDir ? new PGlite(options.dataDir) : new PGlite();
  await db.waitReady;
  await applyMigrations(db);
  const server = new PGLiteSocketServer({
    db,
    host: "127.0.0.1",
    port: options.port ?? 0,
    maxConnections: 20,
  });
  await server.start();
  // The socket server does not expose the port it was given by the OS.
  const listening = (server as unknown as { server: Server }).server.address() as AddressInfo;
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${listening.port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
