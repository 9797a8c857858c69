import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticateWebhook } from "../webhooks/authenticate.server";
import { respondToOrderWebhook } from "../analytics/webhooks.server";

export const action = async ({ request }: ActionFunctionArgs) => respondToOrderWebhook(await authenticateWebhook(request, { session: false }));
