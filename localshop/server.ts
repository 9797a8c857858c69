// The local shop as one HTTP server on loopback: the Admin API double, and (added by
// their own modules) the storefront and checkout pages. Development and test tooling
// only: server.ts imports it in local-shop mode, and it never ships in the app's build.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createLocalShop, type LocalShopState } from "./state";
import { getAdminSchema, handleAdminGraphql, handleLocalShopImage, handleOutageSwitch } from "./admin-api";
import { handleBulkResult } from "./admin-api/bulk";
import { handleTokenExchange } from "./admin-api/oauth";
import { handleCheckout } from "./checkout";
import { handleStorefront } from "./storefront";
import { APP_INCLUDE_FIELDS, handleRefundRequest, startWebhookSender, type WebhookSender } from "./webhooks";
import { handleWebPixels } from "./web-pixels";

export interface LocalShopServerOptions {
  port?: number;
  /** The Cartlift app's URL, for pages of the local shop that link back to it. */
  appUrl?: string;
  /** Persist the shop's state to this JSON file (omit: in memory). */
  dataFile?: string;
  state?: LocalShopState;
  /** Seed the demo's 60-day order history (see ./seed/orders.ts). */
  orderHistory?: boolean;
  /** Send order and refund webhooks to `appUrl`, signed with this secret (./webhooks.ts). */
  webhookSecret?: () => string;
  /** The app's client id and secret, which sign checkout session tokens (./checkout). */
  appCredentials?: () => { apiKey: string; secret: string };
}

export interface RunningLocalShop {
  url: string;
  state: LocalShopState;
  /** The webhook sender, when `webhookSecret` was given. */
  webhooks?: WebhookSender;
  stop(): Promise<void>;
}

export type LocalShopHandler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  shop: { state: LocalShopState; appUrl: string; appCredentials?: () => { apiKey: string; secret: string } },
) => Promise<boolean> | boolean;

/** Handlers tried in order; each answers true when it served the request. */
const handlers: LocalShopHandler[] = [
  async (req, res, { state }) => {
    if (!req.url?.startsWith("/admin/api/")) return false;
    await handleAdminGraphql(req, res, state);
    return true;
  },
  // A rehearsed Admin API outage, switched by the end-to-end tests.
  (req, res, { state }) => handleOutageSwitch(req, res, state),
  // Token exchange (an install or reinstall of an embedded app).
  (req, res) => handleTokenExchange(req, res),
  async (req, res) => {
    if (!req.url?.startsWith("/localshop/images/")) return false;
    await handleLocalShopImage(req, res);
    return true;
  },
  // The web pixels manager, its sandbox and the app pixel's bundle (/web-pixels/…).
  (req, res) => handleWebPixels(req, res),
  // Bulk operation results (JSONL), like the signed file URLs Shopify hands out.
  (req, res, { state }) => handleBulkResult(req, res, state),
  // Cart permalinks (/cart/<variant>:<qty>), /checkout and its thank-you page.
  handleCheckout,
  // Theme pages (home, collections, products, cart), the Ajax Cart API, /localization, assets.
  handleStorefront,
];

export async function startLocalShop(options: LocalShopServerOptions = {}): Promise<RunningLocalShop> {
  const state = options.state ?? createLocalShop({ persistPath: options.dataFile, orderHistory: options.orderHistory });
  // Shopify's schema takes a few seconds to build: build it before the first request, so no
  // request (and no throttle bucket refilling meanwhile) waits on it.
  getAdminSchema();
  const appUrl = options.appUrl ?? "http://localhost:3000";
  const webhooks = options.webhookSecret ? startWebhookSender(state, { appUrl, secret: options.webhookSecret, includeFields: APP_INCLUDE_FIELDS }) : undefined;
  const server = http.createServer(async (req, res) => {
    try {
      // Refunds made in the shop (POST /localshop/orders/<id>/refund) → refunds/create.
      if (await handleRefundRequest(req, res, webhooks)) return;
      for (const handle of handlers) {
        if (await handle(req, res, { state, appUrl, appCredentials: options.appCredentials })) return;
      }
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found in the local shop");
    } catch (error) {
      console.error("local shop:", error);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("Local shop error");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    webhooks,
    stop: () => {
      webhooks?.stop();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
