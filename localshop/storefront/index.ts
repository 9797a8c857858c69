// The local shop's storefront over HTTP: theme pages rendered with Liquid (home,
// collections, products, cart), the Ajax Cart API (/cart.js, /cart/add.js,
// /cart/change.js, /cart/update.js, /cart/clear.js, `sections` in responses and
// `?sections=` on pages), a currency switcher (POST /localization, or `?currency=`),
// locale subfolders (/ko, /ja, /es, /pt-BR, /hy, /fr), and the theme's and the theme app
// extension's assets under /cdn/shop/…, gzipped like a CDN serves them.
//
// Local-shop only: `?apps=off` renders a page without any app block or embed (the
// storefront bench compares a page with and without Cartlift).
import { existsSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { recommendationsResponse } from "./recommendations";
import { CART_COOKIE, cartTokenFromCookie, getCart, saveCart, type StoredCart } from "../cart-store";
import type { LocalShopHandler } from "../server";
import { getCollectionByHandle, getCurrencyRate, getProductByHandle, getShop, type LocalShopState } from "../state";
import { addItems, CartError, cartJson, changeLine, clearCart, updateCart, type AddItemInput } from "./cart";
import { collectionDrop, collectionsDrop, productDrop, type RequestInfo } from "./objects";
import { createStorefront, THEME_ASSETS_BASE, type Page, type Storefront } from "./render";

const CURRENCY_COOKIE = "cart_currency";

let storefront: Storefront | null = null;
/** The storefront, built once (templates and schemas are read on first use). */
export function getStorefront(): Storefront {
  return (storefront ??= createStorefront());
}

// ---- request parsing --------------------------------------------------------------------------

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k == name) return decodeURIComponent(v.join("="));
  }
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1024 * 1024) throw new CartError(413, "Request too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Rails-style bracket keys (`items[0][id]`, `properties[Color]`, `updates[]`) to nested data. */
export function parseBracketForm(entries: Iterable<[string, string]>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [rawKey, value] of entries) {
    const parts = rawKey.replace(/\]/g, "").split("[");
    let node: any = out;
    parts.forEach((part, i) => {
      const last = i == parts.length - 1;
      const nextIsIndex = !last && (parts[i + 1] == "" || /^\d+$/.test(parts[i + 1]));
      if (part == "") {
        if (last) node.push(value);
        else {
          const obj = {};
          node.push(obj);
          node = obj;
        }
        return;
      }
      if (last) node[part] = value;
      else node = node[part] ??= nextIsIndex ? [] : {};
    });
  }
  return out;
}

async function readForm(req: IncomingMessage): Promise<Record<string, any>> {
  const body = await readBody(req);
  const type = String(req.headers["content-type"] ?? "");
  if (type.includes("application/json")) {
    try {
      return JSON.parse(body.toString("utf8") || "{}");
    } catch {
      throw new CartError(400, "Invalid JSON");
    }
  }
  if (type.includes("multipart/form-data")) {
    const form = await new Request("http://local/", { method: "POST", headers: { "content-type": type }, body: new Uint8Array(body) }).formData();
    return parseBracketForm([...form.entries()].map(([k, v]) => [k, String(v)]));
  }
  return parseBracketForm(new URLSearchParams(body.toString("utf8")).entries());
}

// ---- responses ----------------------------------------------------------------------------------

function send(req: IncomingMessage, res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string | string[]> = {}): void {
  let payload = typeof body == "string" ? Buffer.from(body) : body;
  const h: Record<string, string | string[] | number> = { "Content-Type": type, Vary: "Accept-Encoding", ...headers };
  if (payload.length > 1024 && /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""))) {
    payload = gzipSync(payload);
    h["Content-Encoding"] = "gzip";
  }
  h["Content-Length"] = payload.length;
  res.writeHead(status, h).end(req.method == "HEAD" ? undefined : payload);
}

const sendJson = (req: IncomingMessage, res: ServerResponse, status: number, data: unknown, headers: Record<string, string | string[]> = {}) =>
  send(req, res, status, "application/json; charset=utf-8", JSON.stringify(data), headers);

const redirect = (res: ServerResponse, location: string, headers: Record<string, string | string[]> = {}) => res.writeHead(302, { Location: location, ...headers }).end();

const setCookie = (name: string, value: string) => `${name}=${encodeURIComponent(value)}; Path=/; SameSite=Lax`;

const TYPES: Record<string, string> = { ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".json": "application/json", ".png": "image/png" };
const gzCache = new Map<string, Buffer>();

function serveFile(req: IncomingMessage, res: ServerResponse, dir: string, name: string): void {
  const path = join(dir, name);
  if (!/^[\w.-]+$/.test(name) || !existsSync(path)) {
    send(req, res, 404, "text/plain", "Not found");
    return;
  }
  const body = readFileSync(path);
  const headers = { "Cache-Control": "public, max-age=31536000, immutable", "Access-Control-Allow-Origin": "*" };
  if (/\bgzip\b/.test(String(req.headers["accept-encoding"] ?? "")) && /\.(js|css|svg|json)$/.test(name)) {
    const key = path + ":" + body.length;
    if (!gzCache.has(key)) gzCache.set(key, gzipSync(body, { level: 9 }));
    const gz = gzCache.get(key)!;
    res.writeHead(200, { ...headers, "Content-Type": TYPES[extname(name)] ?? "application/octet-stream", "Content-Encoding": "gzip", Vary: "Accept-Encoding", "Content-Length": gz.length }).end(req.method == "HEAD" ? undefined : gz);
    return;
  }
  res.writeHead(200, { ...headers, "Content-Type": TYPES[extname(name)] ?? "application/octet-stream", "Content-Length": body.length }).end(req.method == "HEAD" ? undefined : body);
}

// ---- the handler ----------------------------------------------------------------------------------

interface Visit {
  state: LocalShopState;
  req: RequestInfo;
  cart: StoredCart | undefined;
  /** Cookies to set on the response. */
  cookies: string[];
  url: URL;
}

function visitOf(state: LocalShopState, req: IncomingMessage, url: URL, locale: string, prefix: string, path: string): Visit {
  const shop = getShop(state);
  const cart = getCart(cartTokenFromCookie(req.headers.cookie));
  const cookies: string[] = [];
  let currency = cart?.currency ?? cookie(req, CURRENCY_COOKIE) ?? shop.currencyCode;
  const asked = url.searchParams.get("currency")?.toUpperCase();
  if (asked && getCurrencyRate(state, asked) !== null) currency = switchCurrency(state, cart, asked, cookies);
  if (getCurrencyRate(state, currency) === null) currency = shop.currencyCode;
  const host = req.headers.host ?? "127.0.0.1";
  return { state, cart, cookies, url, req: { locale, prefix, currency, path, origin: `http://${host}` } };
}

function switchCurrency(state: LocalShopState, cart: StoredCart | undefined, currency: string, cookies: string[]): string {
  if (cart && cart.currency != currency) {
    cart.currency = currency;
    saveCart(cart);
  }
  cookies.push(setCookie(CURRENCY_COOKIE, currency));
  return currency;
}

function pageFor(visit: Visit, template: Page["template"], title: string, extra: Partial<Page> = {}): Page {
  return {
    state: visit.state,
    req: visit.req,
    cart: cartJson(visit.state, visit.cart, visit.req.currency),
    template,
    title,
    apps: visit.url.searchParams.get("apps") != "off",
    ...extra,
  };
}

/** The page a GET path shows, or null when the storefront has no such page. */
function resolvePage(visit: Visit, path: string): Page | null {
  const { state, req } = visit;
  if (path == "/" || path == "") return pageFor(visit, "index", getShop(state).name);
  if (path == "/cart") return pageFor(visit, "cart", "Your cart");
  let m = /^\/collections\/([\w-]+)\/?$/.exec(path);
  if (m) {
    if (m[1] == "all") {
      const all = collectionsDrop(state, req).all as Record<string, unknown>;
      return pageFor(visit, "collection", "All products", { collection: all });
    }
    const c = getCollectionByHandle(state, m[1]);
    return c ? pageFor(visit, "collection", c.title, { collection: collectionDrop(state, c, req) }) : null;
  }
  m = /^\/products\/([\w-]+)\/?$/.exec(path);
  if (m) {
    const p = getProductByHandle(state, m[1]);
    if (!p || p.status != "ACTIVE") return null;
    return pageFor(visit, "product", p.title, { product: productDrop(state, p, req, visit.url.searchParams.get("variant")) });
  }
  return null;
}

async function withSections(visit: Visit, body: Record<string, any>, payload: Record<string, unknown>): Promise<Record<string, unknown>> {
  const raw = body.sections;
  const ids = (Array.isArray(raw) ? raw : typeof raw == "string" ? raw.split(",") : []).map((s: string) => String(s).trim()).filter(Boolean).slice(0, 5);
  if (!ids.length) return payload;
  const sectionsUrl = typeof body.sections_url == "string" ? new URL(body.sections_url, "http://local").pathname : "/";
  const page = resolvePage(visit, stripLocale(visit.state, sectionsUrl).path) ?? pageFor(visit, "index", "");
  return { ...payload, sections: await getStorefront().renderSections(page, ids) };
}

function stripLocale(state: LocalShopState, pathname: string): { locale: string; prefix: string; path: string } {
  const shop = getShop(state);
  const primary = shop.locales.find((l) => l.primary)?.locale ?? "en";
  const first = pathname.split("/")[1] ?? "";
  const match = shop.locales.find((l) => !l.primary && l.published && l.locale.toLowerCase() == first.toLowerCase());
  if (!match) return { locale: primary, prefix: "", path: pathname };
  return { locale: match.locale, prefix: `/${match.locale}`, path: pathname.slice(first.length + 1) || "/" };
}

const CART_ROUTES = /^\/cart\/(add|change|update|clear)(\.js|\.json)?$/;
const PAGE_ROUTES = /^\/(|cart|collections(\/[\w-]+)?|products\/[\w-]+)\/?$/;

export const handleStorefront: LocalShopHandler = async (req, res, { state }) => {
  const url = new URL(req.url ?? "/", "http://local");
  if (url.pathname.startsWith(THEME_ASSETS_BASE + "/")) {
    serveFile(req, res, join(getStorefront().themeDir, "assets"), url.pathname.slice(THEME_ASSETS_BASE.length + 1));
    return true;
  }
  const ext = getStorefront().extension;
  if (url.pathname.startsWith(ext.assetsBase + "/")) {
    serveFile(req, res, join(ext.dir, "assets"), url.pathname.slice(ext.assetsBase.length + 1));
    return true;
  }

  const { locale, prefix, path } = stripLocale(state, url.pathname);
  const isCartApi = path == "/cart.js" || path == "/cart.json" || CART_ROUTES.test(path) || (path == "/cart" && req.method == "POST");
  const isPage = req.method == "GET" || req.method == "HEAD" ? PAGE_ROUTES.test(path) : false;
  if (path == "/recommendations/products.json") {
    const visit = visitOf(state, req, url, locale, prefix, path);
    const { status, body } = recommendationsResponse(state, url.searchParams, visit.req.currency, prefix);
    sendJson(req, res, status, body);
    return true;
  }
  if (!isCartApi && !isPage && path != "/localization") return false;

  const visit = visitOf(state, req, url, locale, prefix, path);
  const cookieHeaders = (): Record<string, string | string[]> => {
    const all = [...visit.cookies];
    if (visit.cart) all.push(setCookie(CART_COOKIE, visit.cart.token));
    return all.length ? { "Set-Cookie": all } : {};
  };

  try {
    if (path == "/localization" && req.method == "POST") {
      const form = await readForm(req);
      const currency = String(form.currency_code ?? "").toUpperCase();
      if (getCurrencyRate(state, currency) !== null) switchCurrency(state, visit.cart, currency, visit.cookies);
      const back = typeof form.return_to == "string" && form.return_to.startsWith("/") && !form.return_to.startsWith("//") ? form.return_to : prefix || "/";
      redirect(res, back, cookieHeaders());
      return true;
    }
    if (path == "/cart.js" || path == "/cart.json") {
      sendJson(req, res, 200, cartJson(state, visit.cart, visit.req.currency), cookieHeaders());
      return true;
    }
    const cartMatch = CART_ROUTES.exec(path);
    if (cartMatch || (path == "/cart" && req.method == "POST")) {
      const ajax = !!cartMatch?.[2];
      if (req.method == "GET" && cartMatch?.[1] == "change") {
        // The remove links of a theme without JavaScript.
        visit.cart = changeLine(state, visit.cart, visit.req.currency, Object.fromEntries(url.searchParams));
        redirect(res, `${prefix}/cart`, cookieHeaders());
        return true;
      }
      if (req.method != "POST") {
        sendJson(req, res, 405, { status: 405, message: "Method not allowed" });
        return true;
      }
      const body = await readForm(req);
      const op = cartMatch?.[1] ?? (body.checkout !== undefined ? "checkout" : "update");
      let payload: Record<string, unknown>;
      if (op == "add") {
        const items: AddItemInput[] = Array.isArray(body.items) ? body.items : [{ id: body.id, quantity: body.quantity, properties: body.properties }];
        const { cart, keys } = addItems(state, visit.cart, visit.req.currency, items);
        visit.cart = cart;
        const all = cartJson(state, cart, cart.currency).items;
        const touched = keys.map((k) => all.find((i) => i.key == k)!);
        payload = Array.isArray(body.items) ? { items: touched } : { ...touched[0] };
      } else if (op == "change") {
        visit.cart = changeLine(state, visit.cart, visit.req.currency, body);
        payload = cartJson(state, visit.cart, visit.cart.currency);
      } else if (op == "clear") {
        visit.cart = clearCart(visit.cart, visit.req.currency);
        payload = cartJson(state, visit.cart, visit.cart.currency);
      } else if (op == "checkout") {
        if (body.updates) visit.cart = updateCart(state, visit.cart, visit.req.currency, body);
        // The checkout speaks the language the buyer shopped in.
        if (visit.cart) saveCart(Object.assign(visit.cart, { locale }));
        redirect(res, "/checkout", cookieHeaders());
        return true;
      } else {
        visit.cart = updateCart(state, visit.cart, visit.req.currency, body);
        payload = cartJson(state, visit.cart, visit.cart.currency);
      }
      if (!ajax) {
        redirect(res, `${prefix}/cart`, cookieHeaders());
        return true;
      }
      sendJson(req, res, 200, await withSections(visit, body, payload), cookieHeaders());
      return true;
    }

    const page = resolvePage(visit, path);
    const sections = url.searchParams.get("sections");
    if (sections !== null) {
      const ids = sections.split(",").map((s) => s.trim()).filter(Boolean).slice(0, 5);
      const rendered = await getStorefront().renderSections(page ?? pageFor(visit, "404", "Not found"), ids);
      sendJson(req, res, 200, rendered, cookieHeaders());
      return true;
    }
    const html = await getStorefront().renderPage(page ?? pageFor(visit, "404", "Not found"));
    send(req, res, page ? 200 : 404, "text/html; charset=utf-8", html, { "Cache-Control": "no-store", ...cookieHeaders() });
    return true;
  } catch (error) {
    if (error instanceof CartError) {
      const wantsJson = String(req.headers.accept ?? "").includes("json") || path.endsWith(".js") || path.endsWith(".json");
      if (wantsJson) sendJson(req, res, error.status, error, cookieHeaders());
      else send(req, res, error.status, "text/plain; charset=utf-8", error.description, cookieHeaders());
      return true;
    }
    throw error;
  }
};
