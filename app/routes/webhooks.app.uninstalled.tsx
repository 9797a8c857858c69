import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticateWebhook } from "../webhooks/authenticate.server";
import { onAppUninstalled } from "../webhooks/handlers.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  await onAppUninstalled(await authenticateWebhook(request));
  return new Response(null, { status: 200 });
};
