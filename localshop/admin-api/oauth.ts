/**
 * The local shop's token endpoint: `POST /admin/oauth/access_token` with Shopify's token
 * exchange (an embedded app trades the admin's session token, an HS256 JWT signed with the
 * app's secret, for an offline access token). This is how an install or reinstall reaches
 * the app, so the app's afterAuth hook runs against it as it would against Shopify.
 *
 * Refused like Shopify refuses: a body that is not JSON or lacks a parameter (400
 * invalid_request), another grant type (400 unsupported_grant_type), a session token that
 * is not signed with the client secret, names another app (`aud`) or another shop
 * (`dest`), or has expired (400 invalid_subject_token). Only offline tokens are issued
 * (Cartlift asks for no online tokens); with `expiring: "1"` they last 60 minutes and come
 * with a refresh token, as Shopify's expiring offline tokens do.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

export const TOKEN_PATH = "/admin/oauth/access_token";
const GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
const OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token";
const MAX_BODY_BYTES = 64 * 1024;
/** What the local shop grants: the scopes shopify.app.toml asks for. */
export const LOCAL_SHOP_SCOPES = "read_products,write_discounts,read_orders,write_pixels,read_customer_events,read_themes";

function send(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(payload), "Cache-Control": "no-store" });
  res.end(payload);
}

const fail = (res: ServerResponse, error: string, description: string) => send(res, 400, { error, error_description: description });

function base64url(input: string): Buffer {
  return Buffer.from(input.replace(/-/g, "+").replace(/_/g, "/"), "base64");
}

/** The session token's claims when it is an HS256 JWT signed with `secret`, else null. */
export function verifySessionToken(token: string, secret: string): Record<string, unknown> | null {
  const parts = token.split(".");
  if (parts.length != 3) return null;
  try {
    const header = JSON.parse(base64url(parts[0]!).toString("utf8")) as { alg?: unknown };
    if (header.alg != "HS256") return null;
    const expected = createHmac("sha256", secret).update(`${parts[0]}.${parts[1]}`).digest();
    const given = base64url(parts[2]!);
    if (given.length != expected.length || !timingSafeEqual(given, expected)) return null;
    const claims = JSON.parse(base64url(parts[1]!).toString("utf8"));
    return claims && typeof claims == "object" ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Serves the token endpoint; answers false for any other path. The local shop answers
 *  for every shop domain, so `dest` need only name a myshopify.com shop. */
export async function handleTokenExchange(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname != TOKEN_PATH) return false;
  if (req.method != "POST") {
    res.writeHead(405, { Allow: "POST" }).end();
    return true;
  }
  let raw = "";
  for await (const chunk of req) {
    raw += typeof chunk == "string" ? chunk : (chunk as Buffer).toString("utf8");
    if (raw.length > MAX_BODY_BYTES) {
      fail(res, "invalid_request", "The request is too large.");
      return true;
    }
  }
  let body: Record<string, unknown>;
  try {
    const parsed = JSON.parse(raw);
    if (!parsed || typeof parsed != "object" || Array.isArray(parsed)) throw new Error("not an object");
    body = parsed;
  } catch {
    fail(res, "invalid_request", "The body must be a JSON object.");
    return true;
  }
  const str = (key: string) => (typeof body[key] == "string" ? (body[key] as string) : "");
  for (const key of ["client_id", "client_secret", "grant_type", "subject_token", "subject_token_type", "requested_token_type"])
    if (!str(key)) {
      fail(res, "invalid_request", `Missing parameter: ${key}.`);
      return true;
    }
  if (str("grant_type") != GRANT_TYPE) {
    fail(res, "unsupported_grant_type", `Only ${GRANT_TYPE} is supported here.`);
    return true;
  }
  if (str("subject_token_type") != ID_TOKEN_TYPE) {
    fail(res, "invalid_request", `subject_token_type must be ${ID_TOKEN_TYPE}.`);
    return true;
  }
  if (str("requested_token_type") != OFFLINE_TOKEN_TYPE) {
    fail(res, "invalid_request", "The local shop issues offline access tokens only.");
    return true;
  }
  const claims = verifySessionToken(str("subject_token"), str("client_secret"));
  const now = Math.floor(Date.now() / 1000);
  if (
    !claims ||
    claims.aud != str("client_id") ||
    typeof claims.exp != "number" ||
    claims.exp < now ||
    (typeof claims.nbf == "number" && claims.nbf > now + 5) ||
    typeof claims.dest != "string" ||
    !/^https:\/\/[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(claims.dest)
  ) {
    fail(res, "invalid_subject_token", "The session token is not valid for this app and shop.");
    return true;
  }
  const expiring = body.expiring == "1" || body.expiring === 1 || body.expiring === true;
  send(res, 200, {
    access_token: `shpat_${randomBytes(16).toString("hex")}`,
    scope: LOCAL_SHOP_SCOPES,
    ...(expiring ? { expires_in: 3600, refresh_token: `shprt_${randomBytes(16).toString("hex")}`, refresh_token_expires_in: 7_776_000 } : {}),
  });
  return true;
}
