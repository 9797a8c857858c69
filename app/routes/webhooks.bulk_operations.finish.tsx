import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticateWebhook } from "../webhooks/authenticate.server";
import { onBulkOperationFinished } from "../recommendations/backfill.server";
import { unauthenticated } from "../shopify.server";

// Shopify's bulk operation for the order backfill has finished: step the backfill (import in
// the background). Polling from the Recommendations page does the same when it is open.
export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await authenticateWebhook(request, { session: false });
  await onBulkOperationFinished(context.shop, context.payload, async (shop) => (await unauthenticated.admin(shop)).admin);
  return new Response(null, { status: 200 });
};
