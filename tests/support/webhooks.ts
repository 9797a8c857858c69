// Builds webhook requests exactly as Shopify sends them: JSON body, base64 HMAC-SHA256 of
// the raw body with the app's secret, and Shopify's headers.
import { createHmac, randomUUID } from "node:crypto";

export interface WebhookRequestOptions {
  topic: string;
  shop: string;
  payload: unknown;
  secret?: string;
  webhookId?: string;
  /** Override the signature (e.g. a forged one). */
  hmac?: string;
  /** The raw body instead of JSON.stringify(payload) (signed the same way). */
  rawBody?: string;
  /** X-Shopify-Triggered-At (default: now). */
  triggeredAt?: string;
  /** The address it is posted to, when not /webhooks/<topic>. */
  route?: string;
}

export function webhookRequest(options: WebhookRequestOptions): Request {
  const body = options.rawBody ?? JSON.stringify(options.payload);
  const secret = options.secret ?? process.env.SHOPIFY_API_SECRET ?? "";
  const hmac = options.hmac ?? createHmac("sha256", secret).update(body, "utf8").digest("base64");
  return new Request(`https://cartlift.test/webhooks/${options.route ?? options.topic}`, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": options.topic,
      "x-shopify-shop-domain": options.shop,
      "x-shopify-hmac-sha256": hmac,
      "x-shopify-webhook-id": options.webhookId ?? randomUUID(),
      "x-shopify-api-version": "2026-10",
      "x-shopify-event-id": randomUUID(),
      "x-shopify-triggered-at": options.triggeredAt ?? new Date().toISOString(),
    },
  });
}

/** A shop domain no other test uses, so tests can share one database. */
export function uniqueShop(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}.myshopify.com`;
}
