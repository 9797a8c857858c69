// The database under faults, on a real embedded Postgres (PGlite over its socket):
// - many connections querying at once each get their own rows (the socket keeps a
//   connection's Parse/Bind/Execute/Sync together);
// - a stalled database (a proxy we control stops passing bytes) fails queries within the
//   timeouts instead of hanging them, and once it answers again the very next query works.
import net from "node:net";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../../app/db/embedded.server";
import { appPoolConfig, databaseTimeouts, poolConfigFromUrl } from "../../../app/db/connection.server";
import { createPrismaClient } from "../../../app/db.server";

/** A TCP proxy that can stop passing bytes (a stalled server) and pass them again. */
async function stallableProxy(target: { host: string; port: number }) {
  let stalled = false;
  const held: Array<() => void> = [];
  const sockets = new Set<net.Socket>();
  const pass = (from: net.Socket, to: net.Socket) =>
    from.on("data", (chunk) => {
      if (stalled) held.push(() => to.write(chunk));
      else to.write(chunk);
    });
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    pass(client, upstream);
    pass(upstream, client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stall: () => {
      stalled = true;
    },
    resume: () => {
      stalled = false;
      // What was sent during the stall was to dead connections: drop it, as a network would.
      held.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}

let db: EmbeddedPostgres;
beforeAll(async () => {
  db = await startEmbeddedPostgres();
});
afterAll(async () => {
  await db?.stop();
});

describe("the embedded database under concurrency", () => {
  it("ten connections querying at once, in and out of transactions, each get their own rows", async () => {
    const pool = new pg.Pool({ ...poolConfigFromUrl(db.url), max: 10 });
    try {
      const ask = async (n: number) => {
        if (n % 3) return (await pool.query("SELECT $1::int AS n", [n])).rows[0].n as number;
        const client = await pool.connect();
        try {
          await client.query("BEGIN");
          const row = (await client.query("SELECT $1::int AS n", [n])).rows[0].n as number;
          await client.query("COMMIT");
          return row;
        } finally {
          client.release();
        }
      };
      const asked = Array.from({ length: 300 }, (_, i) => i);
      expect(await Promise.all(asked.map(ask))).toEqual(asked);
    } finally {
      await pool.end();
    }
  });
});

describe("a stalled database", () => {
  it("fails queries within the timeouts, and the next query after it recovers succeeds at once", async () => {
    const target = new URL(db.url);
    const proxy = await stallableProxy({ host: target.hostname, port: Number(target.port) });
    const url = new URL(db.url);
    url.port = String(proxy.port);
    const timeouts = { connect: 1500, query: 1500, statement: 1500, idleInTransaction: 3000 };
    const prisma = createPrismaClient(url.href, appPoolConfig(url.href, timeouts));
    try {
      expect(await prisma.$queryRaw<Array<{ ok: number }>>`SELECT 1::int AS ok`).toEqual([{ ok: 1 }]);

      proxy.stall();
      // An open connection's statement and a new connection both give up: no request hangs.
      const outcomes = await Promise.allSettled(Array.from({ length: 4 }, () => prisma.$queryRaw`SELECT 2::int AS ok`));
      expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected", "rejected", "rejected"]);
      const messages = outcomes.map((o) => String((o as PromiseRejectedResult).reason?.message ?? o));
      for (const message of messages) expect(message).toMatch(/timeout|timed out|terminated/i);

      proxy.resume();
      // No waiting period: the very first query after recovery is answered.
      expect(await prisma.$queryRaw<Array<{ ok: number }>>`SELECT 3::int AS ok`).toEqual([{ ok: 3 }]);
      expect(await prisma.$queryRaw<Array<{ ok: number }>>`SELECT 4::int AS ok`).toEqual([{ ok: 4 }]);
    } finally {
      await prisma.$disconnect();
      await proxy.close();
    }
  });

  it("reads its timeouts from the environment, with safe defaults", () => {
    expect(databaseTimeouts({})).toEqual({ connect: 5000, query: 15000, statement: 10000, idleInTransaction: 15000 });
    expect(databaseTimeouts({ DATABASE_QUERY_TIMEOUT_MS: "2000", DATABASE_CONNECT_TIMEOUT_MS: "500", DATABASE_STATEMENT_TIMEOUT_MS: "nonsense" })).toEqual({
      connect: 500,
      query: 2000,
      statement: 2000,
      idleInTransaction: 15000,
    });
    expect(appPoolConfig("postgresql://u:p@db:5432/c")).toMatchObject({ connectionTimeoutMillis: 5000, query_timeout: 15000, statement_timeout: 10000 });
  });
});
