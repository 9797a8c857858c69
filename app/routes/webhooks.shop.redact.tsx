import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticateWebhook } from "../webhooks/authenticate.server";
import { onShopRedact } from "../webhooks/handlers.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  await onShopRedact(await authenticateWebhook(request));
  return new Response(null, { status: 200 });
};
