// The session token Shopify's admin hands an embedded app (App Bridge's id token): an
// HS256 JWT signed with the app's secret. A request carrying it authenticates through the
// Shopify library's real path (and, for a shop with no session yet, its token exchange).
import { createHmac, randomUUID } from "node:crypto";

const b64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

export function sessionToken(shop: string, secret = process.env.SHOPIFY_API_SECRET!, aud = process.env.SHOPIFY_API_KEY!): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const claims = b64url(
    JSON.stringify({ iss: `https://${shop}/admin`, dest: `https://${shop}`, aud, sub: "42", exp: now + 60, nbf: now - 5, iat: now - 5, jti: randomUUID(), sid: randomUUID() }),
  );
  const signature = b64url(createHmac("sha256", secret).update(`${header}.${claims}`).digest());
  return `${header}.${claims}.${signature}`;
}

/** A request from the embedded admin to one of the app's routes (App Bridge's fetch). */
export function adminRequest(shop: string, path: string, token = sessionToken(shop)): Request {
  return new Request(`https://cartlift.test${path}`, { headers: { authorization: `Bearer ${token}`, accept: "application/json" } });
}
