import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticateWebhook } from "../webhooks/authenticate.server";
import { onCustomersDataRequest } from "../webhooks/handlers.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const data = await onCustomersDataRequest(await authenticateWebhook(request));
  return Response.json(data, { status: 200 });
};
