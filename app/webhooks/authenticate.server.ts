// Verifies a webhook's HMAC through the Shopify library and turns it into a
// WebhookContext. A bad signature throws the library's 401 response.
import { authenticate } from "../shopify.server";
import type { WebhookContext } from "./handlers.server";

export async function authenticateWebhook(request: Request): Promise<WebhookContext> {
  const { shop, topic, webhookId, payload } = await authenticate.webhook(request);
  return { shop, topic: String(topic), webhookId, payload: payload as Record<string, unknown> };
}
