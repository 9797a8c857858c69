import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticateWebhook } from "../webhooks/authenticate.server";
import { onCustomersRedact } from "../webhooks/handlers.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  await onCustomersRedact(await authenticateWebhook(request));
  return new Response(null, { status: 200 });
};
