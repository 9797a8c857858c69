// The local shop's checkout over HTTP (a LocalShopHandler; see ../server.ts):
//   GET  /cart/<variant>:<qty>,…   Shopify's cart permalink: a new cart, then the checkout
//                                  (`?currency=EUR` picks an enabled presentment currency,
//                                  `?locale=fr` the buyer's language)
//   GET  /checkout                 the visitor's cart (cookie `cart`) as a checkout page,
//                                  in the buyer's language (`?locale=`, else the cart's),
//                                  hosting the checkout UI extension (`?block=1` also places
//                                  its block target; `?locked=1`: lines cannot change)
//   POST /checkout/lines           applyCartLinesChange → { result, view }
//   POST /checkout/attributes      applyAttributeChange → { result, view }
//   POST /checkout/discount-codes  applyDiscountCodeChange (the page's discount field too) → { result, view }
//   POST /checkout/complete        "Pay now": the order, with its line attributes → { redirect }
//   GET  /checkout/thank-you/<id>  the thank-you page hosting the thank-you target
//   GET  /checkout/session-token   `shopify.sessionToken.get()`: a JWT signed with the app's
//                                  secret, Shopify's checkout claims (5 minutes)
//   GET  /checkout/assets/…        the page scripts, the `s-` elements and the extension bundle
import { createHmac, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { CHECKOUT_BUNDLE, buildCheckoutExtension, CHECKOUT_EXTENSION_DIR } from "../../scripts/build-checkout";
import { CART_COOKIE, cartTokenFromCookie, createCart, deleteCart, getCart, saveCart, type StoredCart } from "../cart-store";
import type { LocalShopHandler } from "../server";
import { getCurrencyRate, getVariant, gidTail, type LocalShopState, type OrderRecord } from "../state";
import { applyAttributeChange, applyCartLinesChange, applyDiscountCodeChange, checkoutView, completeCheckout, lineKey, type CheckoutView } from "./checkout";
import { checkoutPage, emptyCheckoutPage, thankYouPage } from "./pages";
import { webPixelsBoot } from "../web-pixels";

const here = dirname(fileURLToPath(import.meta.url));

export const CHECKOUT_TARGETS = {
  lineList: "purchase.checkout.cart-line-list.render-after",
  block: "purchase.checkout.block.render",
  thankYou: "purchase.thank-you.block.render",
} as const;

// ---- assets ------------------------------------------------------------------------------

const assets = new Map<string, Promise<string>>();

function bundled(entry: string, format: "esm" | "iife"): Promise<string> {
  let text = assets.get(entry);
  if (!text) {
    text = build({
      entryPoints: [join(here, "host", entry)],
      bundle: true,
      write: false,
      format,
      target: "es2022",
      minify: false,
      logLevel: "error",
    }).then((r) => r.outputFiles[0].text);
    text.catch(() => assets.delete(entry));
    assets.set(entry, text);
  }
  return text;
}

let extensionBuild: Promise<void> | undefined;
/** The extension bundle `npm run build:extensions` made (built here if it has not run). */
async function extensionBundle(): Promise<string> {
  if (!existsSync(CHECKOUT_BUNDLE)) await (extensionBuild ??= buildCheckoutExtension());
  return readFile(CHECKOUT_BUNDLE, "utf8");
}

type Translations = { [key: string]: string | Translations };

function localeFile(name: string): Translations | undefined {
  const file = join(CHECKOUT_EXTENSION_DIR, "locales", `${name}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
}

function merged(base: Translations, over: Translations | undefined): Translations {
  const out: Translations = { ...base };
  for (const [key, value] of Object.entries(over ?? {}))
    out[key] = typeof value == "object" && typeof base[key] == "object" ? merged(base[key] as Translations, value) : value;
  return out;
}

/** The extension's translations for `language`, as Shopify resolves them: the language's own
 *  file ("fr-CA.json"), else its base language's ("fr.json"), else the default locale's
 *  (`*.default.json`), a missing key falling back to the next. `extensionLanguage` is the
 *  file that matched (the default's locale when none did). */
export function extensionTranslations(language: string): { extensionLanguage: string; translations: Translations } {
  const defaultName = readdirSync(join(CHECKOUT_EXTENSION_DIR, "locales")).find((f) => f.endsWith(".default.json"))!.replace(/\.json$/, "");
  const defaultLanguage = defaultName.replace(/\.default$/, "");
  const base = language.split("-")[0];
  const exact = language == defaultLanguage ? undefined : localeFile(language);
  const general = base == language || base == defaultLanguage ? undefined : localeFile(base);
  return {
    extensionLanguage: exact ? language : general ? base : defaultLanguage,
    translations: merged(merged(localeFile(defaultName)!, general), exact),
  };
}

/** The buyer's language among the shop's published ones: exactly, else by its base language
 *  ("fr-CA" → "fr"); undefined when the shop does not publish it. */
export function publishedLanguage(state: LocalShopState, wanted: string | null | undefined): string | undefined {
  if (!wanted) return undefined;
  const published = state.data.shop.locales.filter((l) => l.published).map((l) => l.locale);
  const lower = wanted.toLowerCase();
  return published.find((l) => l.toLowerCase() == lower) ?? published.find((l) => l.toLowerCase() == lower.split("-")[0]);
}

/** What a checkout or thank-you page hosts the extension with for this language. */
function localization(language: string) {
  return { language, ...extensionTranslations(language) };
}

const primaryLanguage = (state: LocalShopState) => state.data.shop.locales.find((l) => l.primary)?.locale ?? "en";

// ---- helpers -----------------------------------------------------------------------------

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store", ...headers }).end(body);
}
const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  send(res, status, "application/json; charset=utf-8", JSON.stringify(body), headers);
const sendHtml = (res: ServerResponse, html: string) => send(res, 200, "text/html; charset=utf-8", html);

async function readJson(req: IncomingMessage): Promise<any> {
  let raw = "";
  for await (const chunk of req) {
    raw += chunk;
    if (raw.length > 100_000) throw Object.assign(new Error("too large"), { status: 413 });
  }
  return raw ? JSON.parse(raw) : {};
}

const shopUrlOf = (req: IncomingMessage) => `http://${req.headers.host ?? "127.0.0.1"}`;
const cartCookie = (token: string) => `${CART_COOKIE}=${encodeURIComponent(token)}; Path=/; SameSite=Lax; HttpOnly`;

/** Orders placed through this checkout, for their thank-you pages (per shop state). */
const placed = new WeakMap<LocalShopState, Map<string, { order: OrderRecord; view: CheckoutView; language: string }>>();

/** A Shopify cart permalink's lines (`2001:1,2005:2`): known variants only, quantities ≥ 1. */
export function permalinkLines(spec: string): { variantId: string; quantity: number }[] {
  return spec
    .split(",")
    .map((part) => part.split(":"))
    .map(([id, qty]) => ({ variantId: `gid://shopify/ProductVariant/${id}`, quantity: Number(qty) }))
    .filter((l) => Number.isSafeInteger(l.quantity) && l.quantity > 0);
}

function currentCart(req: IncomingMessage): StoredCart | undefined {
  return getCart(cartTokenFromCookie(req.headers.cookie));
}

/** The change routes of the extension API, each with the rule that applies its change. */
const CHANGES: Record<string, ((state: LocalShopState, cart: StoredCart, change: never) => unknown) | undefined> = {
  "/checkout/lines": applyCartLinesChange,
  "/checkout/discount-codes": applyDiscountCodeChange,
  "/checkout/attributes": (_state, cart, change) => applyAttributeChange(cart, change),
};

// ---- handler -----------------------------------------------------------------------------

/** A checkout UI extension's session token as Shopify issues it: HS256 with the app's secret;
 *  `dest` is the shop's domain without a protocol, `aud` the app's client id, 5 minutes; no
 *  `sub` (the local checkout's buyer is a guest). */
export function checkoutSessionToken(shopDomain: string, credentials: { apiKey: string; secret: string }, nowMs = Date.now()): string {
  const now = Math.floor(nowMs / 1000);
  const b64 = (value: object | Buffer) => (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString("base64url");
  const head = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({
    iss: `https://${shopDomain}`,
    dest: shopDomain,
    aud: credentials.apiKey,
    exp: now + 300,
    nbf: now,
    iat: now,
    jti: randomUUID(),
    sid: randomUUID(),
  })}`;
  return `${head}.${b64(createHmac("sha256", credentials.secret).update(head).digest())}`;
}

export const handleCheckout: LocalShopHandler = async (req, res, { state, appCredentials }) => {
  const url = new URL(req.url ?? "/", "http://local");
  const path = url.pathname;
  const method = req.method ?? "GET";

  const permalink = /^\/cart\/(\d+:\d+(?:,\d+:\d+)*)\/?$/.exec(path);
  if (permalink && method == "GET") {
    const wanted = url.searchParams.get("currency")?.toUpperCase();
    const currency = wanted && getCurrencyRate(state, wanted) !== null ? wanted : state.data.shop.currencyCode;
    const cart = createCart(currency);
    const locale = publishedLanguage(state, url.searchParams.get("locale"));
    if (locale) cart.locale = locale;
    for (const { variantId, quantity } of permalinkLines(permalink[1])) {
      if (!getVariant(state, variantId)) continue;
      const key = lineKey(variantId, {});
      const same = cart.lines.find((l) => l.key == key);
      if (same) same.quantity += quantity;
      else cart.lines.push({ key, variantId, quantity, properties: {} });
    }
    saveCart(cart);
    res.writeHead(302, { location: "/checkout", "set-cookie": cartCookie(cart.token), "cache-control": "no-store" }).end();
    return true;
  }

  if (path != "/checkout" && !path.startsWith("/checkout/")) return false;
  const shopUrl = shopUrlOf(req);
  const shop = state.data.shop;

  if (path.startsWith("/checkout/assets/") && method == "GET") {
    const name = path.slice("/checkout/assets/".length);
    const js = "text/javascript; charset=utf-8";
    if (name == "checkout-page.js") send(res, 200, js, await bundled("checkout-page.ts", "esm"));
    else if (name == "thank-you-page.js") send(res, 200, js, await bundled("thank-you-page.ts", "esm"));
    else if (name == "elements.js") send(res, 200, js, await bundled("elements.ts", "iife"));
    else if (name == "extensions/checkout-offers.js") send(res, 200, js, await extensionBundle());
    else send(res, 404, "text/plain", "Not found");
    return true;
  }

  if (path == "/checkout" && method == "GET") {
    const cart = currentCart(req);
    if (!cart || !cart.lines.length) {
      sendHtml(res, emptyCheckoutPage(shop.name, shopUrl));
      return true;
    }
    const asked = publishedLanguage(state, url.searchParams.get("locale"));
    if (asked && asked != cart.locale) saveCart(Object.assign(cart, { locale: asked }));
    const language = cart.locale ?? primaryLanguage(state);
    const targets: { target: string; slot: string }[] = [{ target: CHECKOUT_TARGETS.lineList, slot: "line-list-slot" }];
    if (url.searchParams.get("block") == "1") targets.push({ target: CHECKOUT_TARGETS.block, slot: "block-slot" });
    sendHtml(
      res,
      checkoutPage(shop.name, shopUrl, language, {
        view: checkoutView(state, cart, shopUrl),
        targets,
        bundleUrl: "/checkout/assets/extensions/checkout-offers.js",
        ...localization(language),
        settings: {},
        locked: url.searchParams.get("locked") == "1",
        timeZone: shop.ianaTimezone,
      }, webPixelsBoot(state, shopUrl)),
    );
    return true;
  }

  if (path == "/checkout/session-token" && method == "GET") {
    const credentials = appCredentials?.();
    if (!credentials?.secret) sendJson(res, 503, { error: "The local shop was started without the app's credentials." });
    else sendJson(res, 200, { token: checkoutSessionToken(shop.myshopifyDomain, credentials) });
    return true;
  }

  if (path == "/checkout/view.json" && method == "GET") {
    const cart = currentCart(req);
    if (!cart) sendJson(res, 404, { error: "No cart" });
    else sendJson(res, 200, checkoutView(state, cart, shopUrl));
    return true;
  }

  // The extension API's three change calls (applyCartLinesChange, applyDiscountCodeChange,
  // applyAttributeChange): one shape of request and answer, the change applied by its own rule.
  const applyChange = method == "POST" ? CHANGES[path] : undefined;
  if (applyChange) {
    const cart = currentCart(req);
    if (!cart) {
      sendJson(res, 404, { result: { type: "error", message: "There is no checkout for this visitor." } });
      return true;
    }
    let body: { change?: unknown };
    try {
      body = await readJson(req);
    } catch {
      sendJson(res, 400, { result: { type: "error", message: "The change is not valid JSON." } });
      return true;
    }
    const result = applyChange(state, cart, body.change as never);
    sendJson(res, 200, { result, view: checkoutView(state, cart, shopUrl) });
    return true;
  }

  if (path == "/checkout/complete" && method == "POST") {
    const cart = currentCart(req);
    if (!cart || !cart.lines.length) {
      sendJson(res, 400, { error: "Your cart is empty." });
      return true;
    }
    const view = checkoutView(state, cart, shopUrl);
    const order = completeCheckout(state, cart, view);
    let orders = placed.get(state);
    if (!orders) placed.set(state, (orders = new Map()));
    orders.set(gidTail(order.id)!, { order, view, language: cart.locale ?? primaryLanguage(state) });
    deleteCart(cart.token);
    sendJson(res, 200, { redirect: `/checkout/thank-you/${gidTail(order.id)}` }, { "set-cookie": `${CART_COOKIE}=; Path=/; Max-Age=0` });
    return true;
  }

  const thankYou = /^\/checkout\/thank-you\/(\d+)$/.exec(path);
  if (thankYou && method == "GET") {
    const entry = placed.get(state)?.get(thankYou[1]);
    if (!entry) {
      send(res, 404, "text/plain; charset=utf-8", "No such order was placed through this checkout.");
      return true;
    }
    const { order, view, language } = entry;
    sendHtml(
      res,
      thankYouPage(shop.name, shopUrl, order.name, language, {
        view,
        order: { id: order.id, number: order.name, isFirstOrder: state.data.orders.length == 1 },
        targets: [{ target: CHECKOUT_TARGETS.thankYou, slot: "thank-you-slot" }],
        bundleUrl: "/checkout/assets/extensions/checkout-offers.js",
        ...localization(language),
        settings: {},
        timeZone: shop.ianaTimezone,
      }, webPixelsBoot(state, shopUrl)),
    );
    return true;
  }

  send(res, 404, "text/plain; charset=utf-8", "Not found in the local checkout");
  return true;
};
