// The embedded Postgres serves many connections through one PGlite: every connection must
// get the answer to its own query, however their messages arrive.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../../app/db/embedded.server";

let embedded: EmbeddedPostgres;
beforeAll(async () => {
  embedded = await startEmbeddedPostgres();
});
afterAll(async () => {
  await embedded?.stop();
});

describe("the embedded Postgres under concurrent connections", () => {
  it("answers each connection's parameterised queries with its own rows (extended protocol never interleaves)", async () => {
    const clients = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const client = new pg.Client({ connectionString: embedded.url });
        await client.connect();
        return client;
      }),
    );
    const wrong: string[] = [];
    let errors = 0;
    // Meanwhile one connection keeps failing (a unique violation is how a duplicate webhook
    // delivery fails): after an error Postgres skips that session's messages up to its Sync,
    // which must never swallow another connection's.
    const failing = new pg.Client({ connectionString: embedded.url });
    await failing.connect();
    let failures = 0;
    const failingLoop = (async () => {
      for (let i = 0; i < 60; i++) await failing.query("SELECT 1 / $1::int AS boom", [0]).catch(() => failures++);
    })();
    // And one runs transactions, whose BEGIN is a simple Query: Postgres drops the unnamed
    // statement on a simple Query, so one landing between another connection's Parse and
    // Bind fails that query ("unnamed prepared statement does not exist").
    const transacting = new pg.Client({ connectionString: embedded.url });
    await transacting.connect();
    const transactionLoop = (async () => {
      for (let i = 0; i < 60; i++) {
        await transacting.query("BEGIN");
        await transacting.query("SELECT $1::int AS i", [i]);
        await transacting.query("COMMIT");
      }
    })();
    // Each query names its connection and round: a reply for anyone else's is a mix-up.
    await Promise.all(
      clients.map(async (client, c) => {
        for (let round = 0; round < 40; round++) {
          try {
            // A different statement per connection: a Bind landing on another connection's
            // unnamed statement shows as another connection's constant.
            const { rows } = await client.query(`SELECT $1::int AS round, ${c}::int AS c, repeat('x', ${c}) AS pad`, [round]);
            if (rows.length != 1 || rows[0].c != c || rows[0].round != round || rows[0].pad.length != c) wrong.push(`c${c}r${round} got ${JSON.stringify(rows)}`);
          } catch {
            errors++;
          }
        }
      }),
    );
    await failingLoop;
    await transactionLoop;
    await Promise.all([...clients, failing, transacting].map((client) => client.end()));
    expect(failures).toBe(60);
    expect({ errors, wrong: wrong.slice(0, 5) }).toEqual({ errors: 0, wrong: [] });
  });

  it("keeps serving others when a connection leaves in the middle of a query", async () => {
    const leaving = new pg.Client({ connectionString: embedded.url });
    await leaving.connect();
    leaving.on("error", () => undefined); // it is meant to drop
    // Half an extended query (Parse, then the connection drops before Bind and Sync).
    const stream = (leaving as unknown as { connection: { parse: (q: object) => void; flush: () => void; stream: { destroy: () => void } } }).connection;
    // A statement that fails to parse: Postgres then skips messages up to a Sync.
    stream.parse({ text: "SELEC nonsense", types: [] });
    stream.flush();
    stream.stream.destroy();
    const other = new pg.Client({ connectionString: embedded.url });
    await other.connect();
    const { rows } = await other.query("SELECT $1::int AS n", [7]);
    expect(rows).toEqual([{ n: 7 }]);
    await other.end();
  });
});
