// Webhooks as an attacker (or a confused network) sends them: oversized bodies are refused
// before they are read, bodies that are not a JSON object, a topic that is not the route's,
// a body naming another shop, concurrent deliveries of one id, and a shop/redact redelivered
// after the shop installed Cartlift again. Nothing is changed by what is refused; nothing
// answers 500.
import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { WEBHOOK_BODY_LIMIT_BYTES } from "../../app/webhooks/authenticate.server";
import { action as appUninstalled } from "../../app/routes/webhooks.app.uninstalled";
import { action as shopRedact } from "../../app/routes/webhooks.shop.redact";
import { action as customersRedact } from "../../app/routes/webhooks.customers.redact";
import { action as ordersCreate } from "../../app/routes/webhooks.orders.create";
import { uniqueShop, webhookRequest } from "../support/webhooks";
import { countShopRows, seedShopRows, total } from "../support/shop-data";

type Action = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown>;

async function deliver(action: Action, request: Request): Promise<Response> {
  try {
    return (await action({ request, params: {}, context: {} })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** A body of `size` bytes produced on demand, counting what the server pulled. */
function hugeBody(size: number) {
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  const meter = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (meter.pulled >= size) return controller.close();
      meter.pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, meter };
}

function postStream(topic: string, shop: string, stream: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  const signed = webhookRequest({ topic, shop, payload: {} });
  const all = new Headers(signed.headers);
  all.delete("content-length");
  for (const [k, v] of Object.entries(headers)) all.set(k, v);
  return new Request(signed.url, { method: "POST", body: stream, headers: all, duplex: "half" } as RequestInit);
}

describe("webhook hardening", () => {
  it("refuses a body declared over 1 MB with 413 without reading it", async () => {
    const shop = uniqueShop("huge-declared");
    await seedShopRows(shop);
    const { stream, meter } = hugeBody(400 * 1024 * 1024);
    const response = await deliver(appUninstalled as Action, postStream("app/uninstalled", shop, stream, { "content-length": String(400 * 1024 * 1024) }));
    expect(response.status).toBe(413);
    expect(meter.pulled).toBeLessThanOrEqual(64 * 1024); // at most what the stream had ready
    expect(total(await countShopRows(shop))).toBe(9);
  });

  it("refuses an undeclared body once it passes 1 MB, reading no further", async () => {
    const shop = uniqueShop("huge-streamed");
    await seedShopRows(shop);
    const { stream, meter } = hugeBody(400 * 1024 * 1024);
    const response = await deliver(appUninstalled as Action, postStream("app/uninstalled", shop, stream));
    expect(response.status).toBe(413);
    expect(meter.pulled).toBeGreaterThan(WEBHOOK_BODY_LIMIT_BYTES);
    expect(meter.pulled).toBeLessThanOrEqual(WEBHOOK_BODY_LIMIT_BYTES + 3 * 64 * 1024);
    expect(total(await countShopRows(shop))).toBe(9);
  });

  it("a correctly signed body that is not a JSON object answers 400, never 500", async () => {
    const shop = uniqueShop("malformed");
    await seedShopRows(shop);
    for (const rawBody of ["{not json", "null", "42", "[]", '"shop"', ""]) {
      const response = await deliver(shopRedact as Action, webhookRequest({ topic: "shop/redact", shop, payload: null, rawBody }));
      expect({ rawBody, status: response.status }).toEqual({ rawBody, status: 400 });
    }
    expect(total(await countShopRows(shop))).toBe(9);
  });

  it("refuses a signed webhook posted to another topic's address", async () => {
    const shop = uniqueShop("wrong-topic");
    await seedShopRows(shop);
    // A genuine orders/create body and signature, replayed at the shop/redact address.
    const response = await deliver(
      shopRedact as Action,
      webhookRequest({ topic: "orders/create", route: "shop/redact", shop, payload: { id: 1, shop_domain: shop } }),
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/takes shop\/redact webhooks, not orders\/create/);
    expect(total(await countShopRows(shop))).toBe(9);
  });

  it("refuses a body naming another shop than the signed shop header", async () => {
    const victim = uniqueShop("victim");
    const sender = uniqueShop("sender");
    await seedShopRows(victim);
    await seedShopRows(sender);
    const response = await deliver(shopRedact as Action, webhookRequest({ topic: "shop/redact", shop: victim, payload: { shop_id: 1, shop_domain: sender } }));
    expect(response.status).toBe(400);
    expect(total(await countShopRows(victim))).toBe(9);
    expect(total(await countShopRows(sender))).toBe(9);
  });

  it("concurrent deliveries of one webhook id all answer 200 and run once", async () => {
    const shop = uniqueShop("concurrent");
    await seedShopRows(shop, "3003");
    const webhookId = `concurrent-${shop}`;
    const payload = { shop_id: 1, shop_domain: shop, customer: { id: 7003 }, orders_to_redact: [3003] };
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => deliver(customersRedact as Action, webhookRequest({ topic: "customers/redact", shop, payload, webhookId }))),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(await prisma.webhookDelivery.count({ where: { webhookId } })).toBe(1);
    expect(await prisma.order.count({ where: { shop } })).toBe(0);
  });

  it("concurrent order webhooks of one id never answer 500", async () => {
    const shop = uniqueShop("concurrent-orders");
    const webhookId = `orders-${shop}`;
    const payload = { id: 820982911946154500, admin_graphql_api_id: "gid://shopify/Order/820982911946154500", created_at: "2026-11-30T15:00:00Z", currency: "USD", total_price: "10.00", line_items: [] };
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => deliver(ordersCreate as Action, webhookRequest({ topic: "orders/create", shop, payload, webhookId }))),
    );
    for (const response of responses) expect(response.status).toBeLessThan(500);
  });

  it("a shop/redact redelivered after the shop reinstalled keeps the new installation's data", async () => {
    const shop = uniqueShop("reinstalled");
    await seedShopRows(shop);
    const uninstalled = await deliver(appUninstalled as Action, webhookRequest({ topic: "app/uninstalled", shop, payload: {} }));
    expect(uninstalled.status).toBe(200);
    // Shopify asks for the redaction 48 hours after the uninstall…
    const requestedAt = new Date(Date.now() - 1000).toISOString();
    // …the merchant installs Cartlift again and sets up an offer…
    await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "s", accessToken: "new-token" } });
    await prisma.shop.create({ data: { shop } });
    await prisma.offer.create({ data: { shop, name: "New offer", kind: "cross_sell", placements: ["cart"], definition: {} } });
    // …and the redaction request is delivered (again) only now.
    const late = await deliver(shopRedact as Action, webhookRequest({ topic: "shop/redact", shop, payload: { shop_id: 1, shop_domain: shop }, triggeredAt: requestedAt }));
    expect(late.status).toBe(200);
    expect(await countShopRows(shop)).toMatchObject({ shops: 1, sessions: 1, offers: 1 });
  });

  it("a shop/redact for a shop still holding data from before the request erases it", async () => {
    const shop = uniqueShop("redact-now");
    await seedShopRows(shop);
    const response = await deliver(shopRedact as Action, webhookRequest({ topic: "shop/redact", shop, payload: { shop_id: 1, shop_domain: shop }, triggeredAt: new Date(Date.now() + 1000).toISOString() }));
    expect(response.status).toBe(200);
    expect(total(await countShopRows(shop))).toBe(0);
  });
});
