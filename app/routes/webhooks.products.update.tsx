import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticateWebhook } from "../webhooks/authenticate.server";
import { onProductUpdated } from "../offers/exclusions.server";
import { unauthenticated } from "../shopify.server";

// A product was edited in Shopify's admin: noted for the shop's next exclusion check, which
// republishes if its tags or collections changed what a frequently-bought-together offer
// excludes (app/offers/exclusions.server.ts). Answered at once; the check runs later.
export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await authenticateWebhook(request, { session: false });
  onProductUpdated(context.shop, context.payload, { adminFor: async (shop) => (await unauthenticated.admin(shop)).admin });
  return new Response(null, { status: 200 });
};
