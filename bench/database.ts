// The benches' database and app settings: DATABASE_URL's server, migrated here, or when it
// is unset the embedded PGlite in memory (DATABASE_URL then points at it). Import the app's
// database modules after this has run: they read DATABASE_URL when loaded.

/** Sets the app's Shopify settings (any values work offline) and readies the database.
 *  `stop` ends what it started (nothing for a server); `embedded` says which it is. */
export async function benchDatabase(): Promise<{ embedded: boolean; stop: () => Promise<void> }> {
  process.env.SHOPIFY_API_KEY ??= "bench-key";
  process.env.SHOPIFY_API_SECRET ??= "bench-secret";
  process.env.SHOPIFY_APP_URL ??= "https://cartlift.test";
  if (!process.env.DATABASE_URL) {
    const { startEmbeddedPostgres } = await import("../app/db/embedded.server");
    const embedded = await startEmbeddedPostgres();
    process.env.DATABASE_URL = embedded.url;
    return { embedded: true, stop: embedded.stop };
  }
  const [{ default: pg }, { applyMigrations }, { poolConfigFromUrl }] = await Promise.all([import("pg"), import("../app/db/migrate.server"), import("../app/db/connection.server")]);
  const client = new pg.Client(poolConfigFromUrl(process.env.DATABASE_URL));
  await client.connect();
  await applyMigrations({ exec: (sql) => client.query(sql), query: (sql, params) => client.query(sql, params) as never });
  await client.end();
  return { embedded: false, stop: async () => undefined };
}
