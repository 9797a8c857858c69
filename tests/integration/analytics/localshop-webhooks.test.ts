// The local shop sends order and refund webhooks the way Shopify does (signed, at least
// once); the app's real routes receive them against the real database.
import { describe, expect, it } from "vitest";
import prisma from "../../../app/db.server";
import { action as ordersCreate } from "../../../app/routes/webhooks.orders.create";
import { action as refundsCreate } from "../../../app/routes/webhooks.refunds.create";
import { addOrder, createLocalShop } from "../../../localshop/state";
import { startWebhookSender, type WebhookSender } from "../../../localshop/webhooks";

type Action = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response>;
const routes: Record<string, Action> = { "orders/create": ordersCreate as Action, "refunds/create": refundsCreate as Action };

/** fetch → the app's route action, as the HTTP server would call it. */
function appFetch(options: { failFirst?: number } = {}): typeof fetch {
  let failures = options.failFirst ?? 0;
  return (async (url: string | URL | Request, init?: RequestInit) => {
    const request = new Request(url as string, init);
    if (failures > 0) {
      failures--;
      return new Response("unavailable", { status: 503 });
    }
    const topic = new URL(request.url).pathname.replace("/webhooks/", "");
    try {
      return await routes[topic]({ request, params: {}, context: {} });
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  }) as typeof fetch;
}

async function settled(sender: WebhookSender) {
  await expect.poll(() => sender.pending(), { timeout: 15_000, interval: 50 }).toBe(0);
}

function shopWithOrder(domain: string) {
  const state = createLocalShop();
  state.data.shop.myshopifyDomain = domain;
  return state;
}

async function rollups(shop: string) {
  return (await prisma.analyticsDaily.findMany({ where: { shop }, orderBy: [{ group: "asc" }, { offerId: "asc" }] })).map((r) => ({
    group: r.group, offerId: r.offerId, orders: r.orders, revenueMinor: Number(r.revenueMinor), refundedMinor: Number(r.refundedMinor),
  }));
}

describe("the local shop's webhooks", () => {
  it("delivers a checkout's order, signed, and the app attributes its offer line; every redelivery changes nothing", async () => {
    const domain = `local-${Date.now()}.myshopify.com`;
    const state = shopWithOrder(domain);
    const sender = startWebhookSender(state, { appUrl: "https://cartlift.test", secret: () => process.env.SHOPIFY_API_SECRET!, fetch: appFetch(), redeliveryRate: 1, backoffMs: 10 });
    const variants = state.data.variants;
    addOrder(state, {
      customAttributes: [{ key: "_cartlift_group", value: "treatment" }],
      lineItems: [
        { variantId: variants[0].id, quantity: 1 },
        { variantId: variants[3].id, quantity: 2, discount: "2.00", customAttributes: [{ key: "_cartlift_offer", value: "phone-accessories" }] },
      ],
    });
    await settled(sender);
    sender.stop();
    expect(sender.log.filter((l) => l.redelivery)).toHaveLength(1);
    expect(sender.log.every((l) => l.status === 200)).toBe(true);
    const offerRevenue = Math.round(Number(variants[3].price) * 100) * 2 - 200;
    const rows = await rollups(domain);
    expect(rows).toEqual([
      { group: "treatment", offerId: "", orders: 1, revenueMinor: Math.round(Number(variants[0].price) * 100) + offerRevenue, refundedMinor: 0 },
      { group: "treatment", offerId: "phone-accessories", orders: 1, revenueMinor: offerRevenue, refundedMinor: 0 },
    ]);
  });

  it("retries a failed delivery until the app answers, and a refund made in the shop lowers the offer's revenue", async () => {
    const domain = `local-refund-${Date.now()}.myshopify.com`;
    const state = shopWithOrder(domain);
    const sender = startWebhookSender(state, { appUrl: "https://cartlift.test", secret: () => process.env.SHOPIFY_API_SECRET!, fetch: appFetch({ failFirst: 2 }), redeliveryRate: 0, backoffMs: 10 });
    const variants = state.data.variants;
    const order = addOrder(state, {
      customAttributes: [{ key: "_cartlift_group", value: "holdout" }],
      lineItems: [{ variantId: variants[3].id, quantity: 2, customAttributes: [{ key: "_cartlift_offer", value: "phone-accessories" }] }],
    });
    await settled(sender);
    expect(sender.log.map((l) => l.status)).toEqual([503, 503, 200]);
    sender.refund(order.id, [{ lineItemId: order.lineItems[0].id, quantity: 1 }]);
    await settled(sender);
    sender.stop();
    const unit = Math.round(Number(variants[3].price) * 100);
    expect((await rollups(domain)).find((r) => r.offerId === "phone-accessories")).toEqual({ group: "holdout", offerId: "phone-accessories", orders: 1, revenueMinor: unit, refundedMinor: unit });
  });

  it("a webhook signed with another secret is refused and retried, never applied", async () => {
    const domain = `local-forged-${Date.now()}.myshopify.com`;
    const state = shopWithOrder(domain);
    const sender = startWebhookSender(state, { appUrl: "https://cartlift.test", secret: () => "not-the-app-secret", fetch: appFetch(), redeliveryRate: 0, attempts: 2, backoffMs: 10 });
    addOrder(state, { lineItems: [{ variantId: state.data.variants[0].id, quantity: 1 }] });
    await settled(sender);
    sender.stop();
    expect(sender.log.map((l) => l.status)).toEqual([401, 401]);
    expect(await prisma.order.count({ where: { shop: domain } })).toBe(0);
  });
});
