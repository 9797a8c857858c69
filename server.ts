// Cartlift's server entry. It gives the app its database (the embedded Postgres when
// DATABASE_URL is unset), starts the local shop in local-shop mode, and serves the Remix
// app: through Vite in development, from build/ in production and in the demo.
import path from "node:path";
import express from "express";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { startEmbeddedPostgres } from "./app/db/embedded.server";

export interface RunningServer {
  appUrl: string;
  localShopUrl?: string;
  databaseKind: "embedded" | "server";
  close(): Promise<void>;
}

export interface ServerOptions {
  port?: number;
  /** Interface to listen on: HOST, else 127.0.0.1 (the demo serves an admin with no login). */
  host?: string;
  /** Run against the local shop (development and tests only). */
  localShop?: boolean;
  localShopPort?: number;
  /** How the admin is served outside production: through Vite (compiles on request; for
   *  working on the admin) or from the production build in build/ (the demo's default).
   *  Production always serves build/. */
  admin?: "vite" | "built";
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const production = process.env.NODE_ENV === "production";
  const port = options.port ?? Number(process.env.PORT ?? 3000);
  const host = options.host ?? (process.env.HOST || "127.0.0.1");
  const closers: Array<() => Promise<void>> = [];

  let databaseKind: RunningServer["databaseKind"] = "server";
  if (!process.env.DATABASE_URL) {
    const dataDir = process.env.CARTLIFT_DATA_DIR ?? path.resolve(".data", "pglite");
    const embedded = await startEmbeddedPostgres({ dataDir: dataDir === "memory" ? undefined : dataDir });
    process.env.DATABASE_URL = embedded.url;
    closers.push(embedded.stop);
    databaseKind = "embedded";
  }

  let localShopUrl: string | undefined;
  if (options.localShop) {
    if (production) throw new Error("The local shop is for development and tests; it never runs in production");
    // Imported only here, so the production build never contains the local shop.
    const { startLocalShop } = await import("./localshop/server");
    const shop = await startLocalShop({
      port: options.localShopPort ?? port + 1,
      appUrl: `http://localhost:${port}`,
      dataFile: process.env.CARTLIFT_DATA_DIR === "memory" ? undefined : path.resolve(".data", "localshop.json"),
      // 60 days of orders, so the recommender has a history to mine (CARTLIFT_DEMO_ORDERS=0: none).
      orderHistory: process.env.CARTLIFT_DEMO_ORDERS !== "0",
      // Orders placed in the local checkout and refunds come back as signed webhooks.
      webhookSecret: () => process.env.SHOPIFY_API_SECRET ?? "",
      // Checkout session tokens are signed with the app's secret, for its client id.
      appCredentials: () => ({ apiKey: process.env.SHOPIFY_API_KEY ?? "", secret: process.env.SHOPIFY_API_SECRET ?? "" }),
    });
    localShopUrl = shop.url;
    closers.push(shop.stop);
    process.env.LOCAL_SHOP_URL = shop.url;
    process.env.SHOPIFY_API_KEY ||= "cartlift-local-shop";
    process.env.SHOPIFY_API_SECRET ||= "cartlift-local-shop-secret";
    process.env.SHOPIFY_APP_URL ||= `http://localhost:${port}`;
  }

  const app = express();
  app.disable("x-powered-by");
  let build: ServerBuild | (() => Promise<ServerBuild>);
  if (production || options.admin === "built") {
    app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
    app.use(express.static("build/client", { maxAge: "1h" }));
    build = (await import(path.resolve("build/server/index.js"))) as ServerBuild;
  } else {
    const vite = await import("vite");
    const devServer = await vite.createServer({
      server: { middlewareMode: true, hmr: { port: port + 1000 } },
      appType: "custom",
    });
    app.use(devServer.middlewares);
    closers.push(() => devServer.close());
    build = () => devServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
  }
  app.all("*", createRequestHandler({ build, mode: production || options.admin === "built" ? "production" : "development" }));

  const httpServer = await new Promise<import("node:http").Server>((resolve, reject) => {
    const server = app.listen(port, host, () => resolve(server));
    server.once("error", reject);
  });

  // Background jobs live in the server build (one module graph with the routes): the
  // recommendations' hourly rebuild sweep. Started once the build is loaded, without holding
  // up the server. A deployment with several instances would run it from one scheduler
  // instead (see app/recommendations/schedule.server.ts).
  if (process.env.CARTLIFT_BACKGROUND_JOBS !== "0") {
    let stopJobs: (() => void) | undefined;
    let closing = false;
    closers.push(async () => {
      closing = true;
      stopJobs?.();
    });
    Promise.resolve(typeof build === "function" ? build() : build)
      .then((loaded) => {
        if (!closing) stopJobs = (loaded.entry.module as { startBackgroundJobs?: () => () => void }).startBackgroundJobs?.();
      })
      .catch((error: Error) => console.warn(`Cartlift: background jobs did not start: ${error.message}`));
  }

  return {
    appUrl: `http://localhost:${port}`,
    localShopUrl,
    databaseKind,
    async close() {
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      for (const close of closers.reverse()) await close();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const running = await startServer({ localShop: process.env.LOCAL_SHOP === "1" });
  console.log(`Cartlift listening on ${running.appUrl} (${running.databaseKind} database)`);
  const stop = () => running.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
