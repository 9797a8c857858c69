import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticateWebhook } from "../webhooks/authenticate.server";
import { respondToOrderWebhook } from "../analytics/webhooks.server";

// A new order stored also schedules the shop's frequently-bought-together rebuild: the
// ingest itself tells the scheduler (app/analytics/ingest.server.ts), whatever path the
// order came by, so the webhook does not wait for it and does not count it twice.
export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await authenticateWebhook(request, { session: false });
  return respondToOrderWebhook(context);
};
