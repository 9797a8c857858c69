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

/** Messages of the extended query protocol that leave a batch open until Sync:
 *  Parse, Bind, Describe, Execute, Close, Flush. */
const EXTENDED_PROTOCOL = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]);

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(error: unknown): void;
  onData(data: Uint8Array): void;
}

interface SocketQueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: PGlite;
  processQueue(): Promise<void>;
  clearTransactionIfNeeded(handlerId: number): Promise<void>;
}

/**
 * pglite-socket 0.2 queues each protocol MESSAGE of every connection on one database and
 * keeps a connection's messages together only inside a transaction. Outside one, two
 * connections' Parse/Bind/Execute/Sync batches interleave: one connection binds the
 * other's unnamed statement, and gets its rows ("unnamed prepared statement does not
 * exist", or worse, another query's result — seen with concurrent admin requests and
 * webhooks). Here a connection that is in the middle of a batch (its last message was
 * an extended-protocol one, not Sync or a simple Query) keeps the database until its Sync,
 * exactly as the library already does for a transaction.
 */
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

function keepExtendedQueriesTogether(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue: SocketQueryQueue }).queryQueue;
  let midBatch = false;
  queue.processQueue = async function processQueue(this: SocketQueryQueue) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    while (this.queue.length > 0) {
      let item: QueuedMessage | undefined;
      if ((midBatch || this.db.isInTransaction()) && this.lastHandlerId != null) {
        const index = this.queue.findIndex((q) => q.handlerId === this.lastHandlerId);
        if (index === -1) break; // wait for that connection's next message
        item = this.queue.splice(index, 1)[0];
      } else {
        item = this.queue.shift();
      }
      if (!item) break;
      const current = item;
      let bytes = 0;
      try {
        await this.db.runExclusive(() =>
          this.db.execProtocolRawStream(current.message, {
            onRawData: (data: Uint8Array) => {
              bytes += data.length;
              current.onData(data);
            },
          }),
        );
      } catch (error) {
        midBatch = false;
        this.processing = false;
        current.reject(error);
        return;
      }
      midBatch = EXTENDED_PROTOCOL.has(current.message[0]);
      this.lastHandlerId = current.handlerId;
      current.resolve(bytes);
    }
    this.processing = false;
  };
  const clear = queue.clearTransactionIfNeeded.bind(queue);
  queue.clearTransactionIfNeeded = async function (handlerId: number) {
    // A connection that went away mid-batch releases the database.
    if (midBatch && this.lastHandlerId === handlerId) {
      // Its Sync, sent for it, answered to no one: ends the half batch and any error state
      // it left (after an error Postgres skips every message up to a Sync, whoever sent it).
      if (!this.db.isInTransaction()) await this.db.runExclusive(() => this.db.execProtocolRaw(SYNC));
      midBatch = false;
      if (!this.db.isInTransaction()) this.lastHandlerId = null;
    }
    await clear(handlerId);
    void this.processQueue();
  };
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
  keepExtendedQueriesTogether(server);
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
