/**
 * The local shop over HTTP (plain node:http, no framework).
 *
 * - `handleAdminGraphql(req, res, state)` serves `POST /admin/api/:version/graphql.json`
 *   like Shopify: 401 without `X-Shopify-Access-Token`, JSON or `application/graphql`
 *   bodies, HTTP 200 for GraphQL-level errors (including THROTTLED).
 * - `handleLocalShopImage` serves the placeholder product images under `/localshop/images/`.
 * `localshop/server.ts` composes these with the storefront and checkout on one server.
 */
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { isAccessTokenValid, type LocalShopState } from "../state";
import { executeAdminGraphql, type AdminGraphqlRequest } from "./execute";

export const ADMIN_GRAPHQL_PATH = /^\/admin\/api\/([^/]+)\/graphql\.json$/;
const API_VERSION_RE = /^(\d{4}-(01|04|07|10)|unstable)$/;
const MAX_BODY_BYTES = 10 * 1024 * 1024; // Shopify's documented request payload limit

/** The API version in an Admin GraphQL path, or null when the path is not one. */
export function matchAdminGraphqlPath(pathname: string): { apiVersion: string } | null {
  const m = ADMIN_GRAPHQL_PATH.exec(pathname);
  return m ? { apiVersion: decodeURIComponent(m[1]!) } : null;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error("Payload too large"), { status: 413 });
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function originOf(req: IncomingMessage): string {
  const proto = (req.headers["x-forwarded-proto"] as string | undefined)?.split(",")[0]?.trim() ?? "http";
  return `${proto}://${req.headers.host ?? "localhost"}`;
}

function parseRequest(contentType: string, raw: string): AdminGraphqlRequest | null {
  if (contentType.includes("application/graphql")) return raw.trim() ? { query: raw } : null;
  try {
    const body = JSON.parse(raw) as { query?: unknown; variables?: unknown; operationName?: unknown };
    if (!body || typeof body.query !== "string" || !body.query.trim()) return null;
    let variables = body.variables;
    if (typeof variables === "string") variables = variables ? JSON.parse(variables) : null;
    return {
      query: body.query,
      variables: (variables && typeof variables === "object" ? variables : null) as Record<string, unknown> | null,
      operationName: typeof body.operationName === "string" ? body.operationName : null,
    };
  } catch {
    return null;
  }
}

/**
 * Handles `POST /admin/api/:version/graphql.json`. Answers 404 for any other path so it can
 * be used as a route handler directly.
 */
export async function handleAdminGraphql(req: IncomingMessage, res: ServerResponse, state: LocalShopState): Promise<void> {
  const requestId = randomUUID();
  const url = new URL(req.url ?? "/", "http://localhost");
  const match = matchAdminGraphqlPath(url.pathname);
  const common = { "X-Request-Id": requestId };
  if (!match || !API_VERSION_RE.test(match.apiVersion)) {
    sendJson(res, 404, { errors: "Not Found" }, common);
    return;
  }
  const headers = { ...common, "X-Shopify-API-Version": match.apiVersion };
  if (state.outage.adminApi) {
    sendJson(res, 503, { errors: "Service Unavailable" }, { ...headers, "Retry-After": "1" });
    return;
  }
  const token = req.headers["x-shopify-access-token"];
  if (!isAccessTokenValid(state, Array.isArray(token) ? token[0] : token)) {
    sendJson(res, 401, { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" }, headers);
    return;
  }
  if (req.method !== "POST") {
    sendJson(res, 405, { errors: "Method Not Allowed" }, { ...headers, Allow: "POST" });
    return;
  }
  let raw: string;
  try {
    raw = await readBody(req);
  } catch (e) {
    sendJson(res, (e as { status?: number }).status ?? 400, { errors: "Bad Request" }, headers);
    return;
  }
  const request = parseRequest(String(req.headers["content-type"] ?? "application/json"), raw);
  if (!request) {
    sendJson(res, 400, { errors: { query: "Required parameter missing or invalid" } }, headers);
    return;
  }
  try {
    const body = await executeAdminGraphql(state, request, { origin: originOf(req), requestId });
    sendJson(res, 200, body, headers);
  } catch (e) {
    sendJson(
      res,
      500,
      { errors: [{ message: "Internal error. Looks like something went wrong on our end.", extensions: { code: "INTERNAL_SERVER_ERROR", requestId, detail: (e as Error).message } }] },
      headers,
    );
  }
}

/** `POST /localshop/outage` with `{"adminApi": true|false}`: starts or ends a rehearsed
 *  Admin API outage (end-to-end tests of what the merchant sees when Shopify fails). */
export async function handleOutageSwitch(req: IncomingMessage, res: ServerResponse, state: LocalShopState): Promise<boolean> {
  if (new URL(req.url ?? "/", "http://localhost").pathname != "/localshop/outage") return false;
  if (req.method != "POST") {
    sendJson(res, 405, { errors: "Method Not Allowed" }, { Allow: "POST" });
    return true;
  }
  let body: { adminApi?: unknown } = {};
  try {
    body = JSON.parse(await readBody(req));
  } catch {
    /* answered below */
  }
  if (typeof body?.adminApi != "boolean") {
    sendJson(res, 400, { errors: 'Send {"adminApi": true} or {"adminApi": false}.' });
    return true;
  }
  state.outage.adminApi = body.adminApi;
  sendJson(res, 200, { outage: state.outage });
  return true;
}

const IMAGES_PREFIX = "/localshop/images/";
const IMAGES_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "public", "images");

/** Serves `/localshop/images/<file>.svg` from localshop/public/images. */
export async function handleLocalShopImage(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
  const name = decodeURIComponent(pathname.slice(IMAGES_PREFIX.length));
  if (!pathname.startsWith(IMAGES_PREFIX) || !/^[a-z0-9-]+\.svg$/.test(name)) {
    sendJson(res, 404, { errors: "Not Found" });
    return;
  }
  try {
    const svg = await readFile(normalize(join(IMAGES_DIR, name)));
    res.writeHead(200, {
      "Content-Type": "image/svg+xml",
      "Content-Length": svg.length,
      "Cache-Control": "public, max-age=3600",
    });
    res.end(svg);
  } catch {
    sendJson(res, 404, { errors: "Not Found" });
  }
}
