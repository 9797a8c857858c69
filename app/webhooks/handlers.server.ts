// What each webhook topic does. Routes authenticate (HMAC, through the library) and call
// these; each runs once per delivery (handleOnce) and touches only the sending shop.
import prisma from "../db.server";
import { handleOnce } from "./deliveries.server";
import { customerKey, deleteShopData, exportCustomerData, redactCustomer } from "../shop/privacy.server";

export interface WebhookContext {
  shop: string;
  topic: string;
  webhookId: string;
  payload: Record<string, unknown>;
  /** When Shopify triggered the webhook (X-Shopify-Triggered-At); a redelivery keeps it. */
  triggeredAt?: string;
}

function deliveryOf(context: WebhookContext) {
  return { webhookId: context.webhookId, shop: context.shop, topic: context.topic };
}

export async function onAppUninstalled(context: WebhookContext) {
  return handleOnce(deliveryOf(context), (tx) => deleteShopData(context.shop, tx));
}

export async function onScopesUpdate(context: WebhookContext) {
  const current = context.payload.current;
  const scope = Array.isArray(current) ? current.map(String).join(",") : String(current ?? "");
  return handleOnce(deliveryOf(context), async (tx) => {
    const updated = await tx.session.updateMany({ where: { shop: context.shop }, data: { scope } });
    return { sessions: updated.count };
  });
}

/**
 * shop/redact arrives 48 hours after uninstall. Deleting is idempotent by nature, and it
 * must leave no row of the shop behind, not even the delivery record, so it is not
 * recorded. A redelivery can come after the shop installed Cartlift again: an installation
 * (a session) that started after Shopify triggered the request is not the one to erase.
 */
export async function onShopRedact(context: WebhookContext) {
  const triggered = context.triggeredAt ? Date.parse(context.triggeredAt) : NaN;
  return prisma.$transaction(async (tx) => {
    const installed = (await tx.session.count({ where: { shop: context.shop } })) > 0;
    if (installed) {
      const row = await tx.shop.findUnique({ where: { shop: context.shop }, select: { installedAt: true } });
      // Installed now, and either no data older than the request or no time to compare:
      // Shopify never asks to redact a shop that has the app installed.
      if (!row || Number.isNaN(triggered) || row.installedAt.getTime() > triggered) {
        return { duplicate: true as const, reinstalled: true as const };
      }
    }
    return { duplicate: false as const, result: await deleteShopData(context.shop, tx) };
  });
}

export async function onCustomersRedact(context: WebhookContext) {
  const customer = customerKey((context.payload.customer as { id?: unknown } | undefined)?.id);
  const orders = Array.isArray(context.payload.orders_to_redact)
    ? context.payload.orders_to_redact.map((id) => customerKey(id)).filter((id): id is string => id !== null)
    : [];
  return handleOnce(deliveryOf(context), async (tx) => {
    if (!customer) return { events: 0, orders: 0 };
    return redactCustomer(context.shop, customer, orders, tx);
  });
}

/** Answers with everything Cartlift keeps about the customer (for the merchant to pass on). */
export async function onCustomersDataRequest(context: WebhookContext) {
  const customer = customerKey((context.payload.customer as { id?: unknown } | undefined)?.id);
  if (!customer) return { customerId: null, offerEvents: [], orders: [] };
  const orders = Array.isArray(context.payload.orders_requested)
    ? context.payload.orders_requested.map((id) => customerKey(id)).filter((id): id is string => id !== null)
    : [];
  return exportCustomerData(context.shop, customer, orders);
}
