import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticateWebhook } from "../webhooks/authenticate.server";
import { onProductUpdated } from "../offers/exclusions.server";
import { unauthenticated } from "../shopify.server";

// A product was edited in Shopify's admin: if its tags changed what a frequently-bought-
// together offer excludes, the ruleset is republished shortly (app/offers/exclusions.server.ts).
// Answered at once either way; the republish runs in the background.
export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await authenticateWebhook(request, { session: false });
  await onProductUpdated(context.shop, context.payload, { adminFor: async (shop) => (await unauthenticated.admin(shop)).admin });
  return new Response(null, { status: 200 });
};
