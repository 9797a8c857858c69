import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticateWebhook } from "../webhooks/authenticate.server";
import { onScopesUpdate } from "../webhooks/handlers.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  await onScopesUpdate(await authenticateWebhook(request));
  return new Response(null, { status: 200 });
};
