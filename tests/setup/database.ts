// Gives the test run one migrated Postgres. With DATABASE_URL: a fresh database on that
// server (the CI's PostgreSQL 15). Without: the embedded PGlite, in memory.
import type { TestProject } from "vitest/node";
import pg from "pg";
import { startEmbeddedPostgres } from "../../app/db/embedded.server";
import { applyMigrations } from "../../app/db/migrate.server";
import { poolConfigFromUrl } from "../../app/db/connection.server";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseKind: "embedded" | "server";
  }
}

async function freshServerDatabase(serverUrl: string): Promise<string> {
  const name = `cartlift_test_${process.pid}`;
  const admin = new pg.Client(poolConfigFromUrl(serverUrl));
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const client = new pg.Client(poolConfigFromUrl(url.href));
  await client.connect();
  await applyMigrations({ exec: (sql) => client.query(sql), query: (sql, params) => client.query(sql, params) as never });
  await client.end();
  return url.href;
}

export default async function setup(project: TestProject) {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    project.provide("databaseUrl", await freshServerDatabase(serverUrl));
    project.provide("databaseKind", "server");
    return;
  }
  const embedded = await startEmbeddedPostgres();
  project.provide("databaseUrl", embedded.url);
  project.provide("databaseKind", "embedded");
  return () => embedded.stop();
}
