import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { action as appUninstalled } from "../../app/routes/webhooks.app.uninstalled";
import { action as scopesUpdate } from "../../app/routes/webhooks.app.scopes_update";
import { action as shopRedact } from "../../app/routes/webhooks.shop.redact";
import { action as customersRedact } from "../../app/routes/webhooks.customers.redact";
import { action as customersDataRequest } from "../../app/routes/webhooks.customers.data_request";
import { uniqueShop, webhookRequest } from "../support/webhooks";
import { countShopRows, seedShopRows, total } from "../support/shop-data";

type Action = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown>;

async function deliver(action: Action, request: Request): Promise<Response> {
  try {
    return (await action({ request, params: {}, context: {} })) as Response;
  } catch (thrown) {
    // The library answers a failed verification by throwing a Response.
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe("webhooks", () => {
  it("refuses a webhook with a bad HMAC with 401 and changes nothing", async () => {
    const shop = uniqueShop("forged");
    await seedShopRows(shop);
    const before = await countShopRows(shop);
    const response = await deliver(
      shopRedact as Action,
      webhookRequest({ topic: "shop/redact", shop, payload: { shop_domain: shop }, hmac: "Zm9yZ2VkLXNpZ25hdHVyZQ==" }),
    );
    expect(response.status).toBe(401);
    expect(await countShopRows(shop)).toEqual(before);
    expect(total(before)).toBe(9);
  });

  it("refuses a webhook signed with another app's secret", async () => {
    const shop = uniqueShop("other-secret");
    await seedShopRows(shop);
    const response = await deliver(
      appUninstalled as Action,
      webhookRequest({ topic: "app/uninstalled", shop, payload: {}, secret: "not-our-secret" }),
    );
    expect(response.status).toBe(401);
    expect(total(await countShopRows(shop))).toBe(9);
  });

  it("shop/redact removes every row of that shop and none of another's", async () => {
    const shop = uniqueShop("redacted");
    const neighbour = uniqueShop("neighbour");
    await seedShopRows(shop);
    await seedShopRows(neighbour);
    const neighbourBefore = await countShopRows(neighbour);

    const response = await deliver(
      shopRedact as Action,
      webhookRequest({ topic: "shop/redact", shop, payload: { shop_id: 954889, shop_domain: shop } }),
    );

    expect(response.status).toBe(200);
    expect(total(await countShopRows(shop))).toBe(0);
    expect(await countShopRows(neighbour)).toEqual(neighbourBefore);
  });

  it("app/uninstalled deletes the shop's sessions and data, and a redelivery changes nothing twice", async () => {
    const shop = uniqueShop("uninstalled");
    const neighbour = uniqueShop("stays");
    await seedShopRows(shop);
    await seedShopRows(neighbour);
    const webhookId = `uninstall-${shop}`;

    const first = await deliver(appUninstalled as Action, webhookRequest({ topic: "app/uninstalled", shop, payload: {}, webhookId }));
    expect(first.status).toBe(200);
    const after = await countShopRows(shop);
    expect(after).toMatchObject({ shops: 0, sessions: 0, offers: 0, publishes: 0, events: 0, orders: 0, orderLines: 0, rollups: 0 });
    expect(after.deliveries).toBe(1); // the record that makes the redelivery a no-op

    // The shop reinstalls; a late redelivery of the old uninstall must not wipe it again.
    await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "s", accessToken: "new" } });
    const again = await deliver(appUninstalled as Action, webhookRequest({ topic: "app/uninstalled", shop, payload: {}, webhookId }));
    expect(again.status).toBe(200);
    expect(await prisma.session.count({ where: { shop } })).toBe(1);
    expect(total(await countShopRows(neighbour))).toBe(9);
  });

  it("app/scopes_update records the granted scopes on the shop's sessions only", async () => {
    const shop = uniqueShop("scopes");
    const neighbour = uniqueShop("scopes-neighbour");
    await seedShopRows(shop);
    await seedShopRows(neighbour);
    const response = await deliver(
      scopesUpdate as Action,
      webhookRequest({ topic: "app/scopes_update", shop, payload: { previous: ["read_products"], current: ["read_products", "write_discounts"] } }),
    );
    expect(response.status).toBe(200);
    expect((await prisma.session.findFirstOrThrow({ where: { shop } })).scope).toBe("read_products,write_discounts");
    expect((await prisma.session.findFirstOrThrow({ where: { shop: neighbour } })).scope).toBe("read_products");
  });

  it("customers/data_request answers with the requested orders as Cartlift keeps them", async () => {
    const shop = uniqueShop("data-request");
    const { offerId } = await seedShopRows(shop, "1001");
    const response = await deliver(
      customersDataRequest as Action,
      webhookRequest({
        topic: "customers/data_request",
        shop,
        payload: { shop_id: 954889, shop_domain: shop, customer: { id: 7001, email: "ada@example.com", phone: "555-625-1199" }, orders_requested: [1001, 2002], data_request: { id: 9999 } },
      }),
    );
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.customerId).toBe("7001");
    expect(body.offerEvents).toEqual([]);
    expect(body.orders).toEqual([
      expect.objectContaining({ orderId: "1001", totalMinor: 74900, group: "treatment", lines: [expect.objectContaining({ productId: "1071", revenueMinor: 2900, offerId })] }),
    ]);
    expect(JSON.stringify(body)).not.toContain("ada@example.com");
  });

  it("customers/redact deletes the named orders in that shop only, and the daily totals stay", async () => {
    const shop = uniqueShop("customer-redact");
    const neighbour = uniqueShop("customer-neighbour");
    await seedShopRows(shop, "1002");
    await seedShopRows(neighbour, "1002");
    const response = await deliver(
      customersRedact as Action,
      webhookRequest({ topic: "customers/redact", shop, payload: { shop_id: 954889, shop_domain: shop, customer: { id: 7002 }, orders_to_redact: [1002] } }),
    );
    expect(response.status).toBe(200);
    expect(await prisma.order.count({ where: { shop } })).toBe(0);
    expect(await prisma.orderLine.count({ where: { shop } })).toBe(0);
    expect(await prisma.analyticsDaily.count({ where: { shop } })).toBe(1); // revenue figures stay
    expect(await prisma.order.count({ where: { shop: neighbour } })).toBe(1);
    expect(await prisma.orderLine.count({ where: { shop: neighbour } })).toBe(1);
  });
});
