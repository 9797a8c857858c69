// The HTTP side of the order webhooks: an authenticated delivery in, a status out.
// The work itself is ingestOrderWebhook, a function of the payload (a queue consumer
// calls it the same way).
import { Prisma } from "@prisma/client";
import type { WebhookContext } from "../webhooks/handlers.server";
import { ingestOrderWebhook } from "./ingest.server";
import { PayloadError } from "./orders";

export async function respondToOrderWebhook(context: WebhookContext): Promise<Response> {
  try {
    const outcome = await ingestOrderWebhook({ webhookId: context.webhookId, shop: context.shop, topic: context.topic }, context.payload);
    return Response.json(outcome.duplicate ? { duplicate: true } : { duplicate: false, ...outcome.result });
  } catch (error) {
    // A payload Cartlift cannot read is refused with the reason (Shopify shows it in the
    // app's webhook metrics); nothing is stored, so a corrected redelivery still applies.
    if (error instanceof PayloadError) return Response.json({ error: error.message }, { status: 422 });
    // The same webhook id delivered twice at once: the other delivery recorded it first
    // (and this transaction rolled back), so this one is the duplicate.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return Response.json({ duplicate: true });
    throw error;
  }
}
