import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticateWebhook } from "../webhooks/authenticate.server";
import { respondToOrderWebhook } from "../analytics/webhooks.server";
import { rebuildScheduler } from "../recommendations/schedule.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await authenticateWebhook(request, { session: false });
  const response = await respondToOrderWebhook(context);
  // A new order stored: the shop's frequently-bought-together lists are rebuilt in the
  // background (debounced per shop); the webhook does not wait for it.
  if (response.ok && !(await response.clone().json()).duplicate) rebuildScheduler().noteOrder(context.shop);
  return response;
};
