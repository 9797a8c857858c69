// The one place that configures the Shopify library: auth, session storage, webhooks
// and the Admin API version.
import "@shopify/shopify-app-remix/adapters/node";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import {
  ApiVersion,
  AppDistribution,
  shopifyApp,
} from "@shopify/shopify-app-remix/server";
import { LogSeverity, Session, shopifyApi } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import prisma from "./db.server";
import { connectWebPixel } from "./analytics/web-pixel.server";
import { recordInstallation } from "./shop/installation.server";
import {
  LOCAL_SHOP_ACCESS_TOKEN,
  LOCAL_SHOP_DOMAIN,
  localShopFetch,
  localShopUrl,
} from "./local-shop.server";

export const SCOPES = ["read_products", "write_discounts", "read_orders", "write_pixels", "read_customer_events", "read_themes"];
export const API_VERSION = ApiVersion.October26;

const localShop = localShopUrl();
if (localShop) {
  setAbstractFetchFunc(localShopFetch(globalThis.fetch, localShop));
}

const sessionStorage = new PrismaSessionStorage(prisma);

const shopify = shopifyApp({
  apiKey: process.env.SHOPIFY_API_KEY,
  apiSecretKey: process.env.SHOPIFY_API_SECRET || "",
  apiVersion: API_VERSION,
  scopes: process.env.SCOPES?.split(",") ?? SCOPES,
  appUrl: process.env.SHOPIFY_APP_URL || "",
  authPathPrefix: "/auth",
  sessionStorage,
  distribution: AppDistribution.AppStore,
  future: { unstable_newEmbeddedAuthStrategy: true, expiringOfflineAccessTokens: true },
  hooks: {
    // Runs after every token exchange (install, reinstall, token renewal). The shop has the
    // app installed now, which is what shop/redact checks before erasing anything; then the
    // web pixel is activated (or pointed at this app's URL).
    afterAuth: async ({ admin, session }) => {
      await recordInstallation(session.shop);
      const outcome = await connectWebPixel(admin, process.env.SHOPIFY_APP_URL || "");
      if (outcome.status == "failed") console.warn(`web pixel not activated on ${session.shop}: ${outcome.message}`);
    },
  },
  ...(process.env.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [process.env.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;

// The webhook signature check alone: the library function authenticate.webhook runs first
// (same secret), without the shop's session that it then loads (a database read per
// delivery). For webhooks whose handling needs no session or Admin API client (orders,
// refunds: thousands an hour in a busy shop).
const webhookValidator = shopifyApi({
  apiKey: process.env.SHOPIFY_API_KEY,
  apiSecretKey: process.env.SHOPIFY_API_SECRET || "",
  apiVersion: API_VERSION,
  hostName: process.env.SHOPIFY_APP_URL ? new URL(process.env.SHOPIFY_APP_URL).host : "localhost",
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error, log: (_severity, message) => console.error(message) },
});
export function validateWebhookSignature(rawBody: string, request: Request) {
  return webhookValidator.webhooks.validate({ rawBody, rawRequest: request });
}
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export { sessionStorage };

export const isLocalShop = Boolean(localShop);

async function ensureLocalShopSession(): Promise<void> {
  const id = `offline_${LOCAL_SHOP_DOMAIN}`;
  if (await sessionStorage.loadSession(id)) return;
  // The demo's install: there is no Shopify to exchange a token with.
  await recordInstallation(LOCAL_SHOP_DOMAIN);
  await sessionStorage.storeSession(
    new Session({
      id,
      shop: LOCAL_SHOP_DOMAIN,
      state: "local-shop",
      isOnline: false,
      scope: SCOPES.join(","),
      accessToken: LOCAL_SHOP_ACCESS_TOKEN,
    }),
  );
}

/**
 * Authenticates an admin request. Inside Shopify this is App Bridge's session token; in
 * local-shop mode there is no Shopify to log in to, so the demo shop's offline session
 * (which exists only in that mode) stands in.
 */
export async function authenticateAdmin(request: Request) {
  if (!localShop) return authenticate.admin(request);
  await ensureLocalShopSession();
  const { admin, session } = await unauthenticated.admin(LOCAL_SHOP_DOMAIN);
  return { admin, session };
}

export type AdminContext = Awaited<ReturnType<typeof authenticateAdmin>>;
export type AdminApi = AdminContext["admin"];

/** The Admin API for a shop named by a verified token (checkout extensions' requests): its
 *  offline session; in local-shop mode the demo shop's, created on first use. */
export async function adminForShop(shop: string) {
  if (localShop) await ensureLocalShopSession();
  return unauthenticated.admin(shop);
}
