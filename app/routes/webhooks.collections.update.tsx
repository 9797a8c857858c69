import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticateWebhook } from "../webhooks/authenticate.server";
import { onCollectionUpdated } from "../offers/exclusions.server";
import { unauthenticated } from "../shopify.server";

// A collection was edited (products added or removed, or its rules): noted for the shop's
// next exclusion check, which republishes if a frequently-bought-together offer excludes it
// (app/offers/exclusions.server.ts). Answered at once; the check runs later.
export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await authenticateWebhook(request, { session: false });
  onCollectionUpdated(context.shop, context.payload, { adminFor: async (shop) => (await unauthenticated.admin(shop)).admin });
  return new Response(null, { status: 200 });
};
