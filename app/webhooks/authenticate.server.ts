// Verifies a webhook and turns it into a WebhookContext, refusing with a 4xx (thrown as a
// Response, as the Shopify library does) anything Cartlift must not act on:
// - a body over WEBHOOK_BODY_LIMIT_BYTES: 413, decided from Content-Length when it is
//   sent, and by counting the stream otherwise (a forged 400 MB POST is never buffered);
// - a bad signature: 401 (the Shopify library's HMAC check);
// - a body that is not a JSON object (malformed, `null`, a number…): 400;
// - a topic header that is not the route's topic: 400 (a signed orders/create body
//   replayed at /webhooks/shop/redact is refused);
// - a body naming another shop than the X-Shopify-Shop-Domain header: 400 (the HMAC covers
//   the body, not the headers, so the body's shop is the one that was signed).
import { WebhookValidationErrorReason } from "@shopify/shopify-api";
import { authenticate, validateWebhookSignature } from "../shopify.server";
import type { WebhookContext } from "./handlers.server";

/** Shopify's own webhook payloads stay far below this; anything larger is not Shopify. */
export const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;

function refuse(status: number, message: string): Response {
  return new Response(message, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/** The body as text, or a 413 as soon as it passes `limit` bytes (the rest is never read). */
export async function readLimitedBody(request: Request, limit = WEBHOOK_BODY_LIMIT_BYTES): Promise<string> {
  const declared = request.headers.get("content-length");
  if (declared != null && (!/^\d+$/.test(declared) || Number(declared) > limit)) {
    throw refuse(413, `Webhook bodies are limited to ${limit} bytes`);
  }
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw refuse(413, `Webhook bodies are limited to ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** "orders/create", "ORDERS_CREATE" and "orders_create" name one topic. */
export const normalizeTopic = (topic: string | null | undefined) => String(topic ?? "").trim().toLowerCase().replace(/[/_.]/g, "_");

/** The topic a route serves, from its path: /webhooks/orders/create → orders/create. */
export function routeTopic(url: string): string | null {
  const match = /\/webhooks\/(.+?)\/?$/.exec(new URL(url).pathname);
  return match ? decodeURIComponent(match[1]) : null;
}

/** Shop domains a payload names (compliance payloads: shop_domain; shop objects: myshopify_domain). */
function payloadShops(payload: Record<string, unknown>): string[] {
  return [payload.shop_domain, payload.myshopify_domain].filter((v): v is string => typeof v == "string" && v != "");
}

type Verified = Pick<Awaited<ReturnType<typeof authenticate.webhook>>, "shop" | "topic" | "webhookId" | "payload" | "triggeredAt">;

/** The library's signature check without loading the shop's session (see validateWebhookSignature). */
async function verifySignature(request: Request, body: string): Promise<Verified> {
  if (request.method != "POST") throw new Response(undefined, { status: 405, statusText: "Method not allowed" });
  const check = await validateWebhookSignature(body, request);
  if (!check.valid) {
    if (check.reason == WebhookValidationErrorReason.InvalidHmac) throw new Response(undefined, { status: 401, statusText: "Unauthorized" });
    throw new Response(undefined, { status: 400, statusText: "Bad Request" });
  }
  return {
    shop: check.domain,
    topic: check.topic,
    webhookId: "webhookId" in check ? check.webhookId : "",
    payload: JSON.parse(body),
    triggeredAt: check.triggeredAt,
  } as Verified;
}

export interface AuthenticateWebhookOptions {
  /**
   * false: check the signature only, without loading the shop's offline session (the
   * handler needs no Admin API client). The same refusals either way.
   */
  session?: boolean;
}

export async function authenticateWebhook(request: Request, options: AuthenticateWebhookOptions = {}): Promise<WebhookContext> {
  const body = await readLimitedBody(request);
  const verified = new Request(request.url, { method: request.method, headers: request.headers, body: request.method == "POST" ? body : undefined });
  let context: Verified;
  try {
    context = options.session === false ? await verifySignature(verified, body) : await authenticate.webhook(verified);
  } catch (error) {
    if (error instanceof Response) throw error;
    // The signature was good (the library checks it first) but the body is not JSON.
    if (error instanceof SyntaxError) throw refuse(400, "The webhook body is not valid JSON");
    throw error;
  }
  const { shop, topic, webhookId, payload, triggeredAt } = context;
  if (typeof payload != "object" || payload === null || Array.isArray(payload)) throw refuse(400, "The webhook body must be a JSON object");
  const expected = routeTopic(request.url);
  if (expected && normalizeTopic(String(topic)) != normalizeTopic(expected)) {
    throw refuse(400, `This address takes ${expected} webhooks, not ${request.headers.get("x-shopify-topic") ?? String(topic)}`);
  }
  const named = payloadShops(payload as Record<string, unknown>);
  if (named.some((domain) => domain.toLowerCase() != shop.toLowerCase())) throw refuse(400, "The webhook body names another shop than its X-Shopify-Shop-Domain");
  if (!webhookId) throw refuse(400, "The webhook has no X-Shopify-Webhook-Id");
  return { shop, topic: String(topic), webhookId, payload: payload as Record<string, unknown>, triggeredAt: triggeredAt || undefined };
}
