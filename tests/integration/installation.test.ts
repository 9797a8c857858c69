// An install or reinstall, through the Shopify library's real token exchange against the
// local shop's token endpoint: the afterAuth hook writes Shop.installedAt, so a shop/redact
// meant for an earlier installation, redelivered after the reinstall, erases nothing of
// the new one, even when the old installation's rows are still there (its app/uninstalled
// never arrived) and the merchant has not saved anything yet.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { action as shopRedact } from "../../app/routes/webhooks.shop.redact";
import { uniqueShop, webhookRequest } from "../support/webhooks";
import { countShopRows, seedShopRows, total } from "../support/shop-data";
import { startTestShop, type TestShop } from "./offers/support";
import { adminRequest, sessionToken } from "../support/session-token";

let testShop: TestShop;
beforeAll(async () => {
  testShop = await startTestShop();
});
afterAll(() => testShop.stop());

/** The admin opening Cartlift: a request carrying the session token (as App Bridge's fetch does). */
async function openAdmin(shop: string, token = sessionToken(shop)) {
  const { authenticate } = await import("../../app/shopify.server");
  return authenticate.admin(adminRequest(shop, "/app/offers", token));
}

async function deliverRedact(shop: string, triggeredAt: string): Promise<Response> {
  try {
    return (await shopRedact({ request: webhookRequest({ topic: "shop/redact", shop, payload: { shop_id: 1, shop_domain: shop }, triggeredAt }), params: {}, context: {} })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe("installation", () => {
  it("an install exchanges the session token for an offline token and records when", async () => {
    const shop = uniqueShop("install");
    const before = Date.now();
    const { session } = await openAdmin(shop);
    expect(session.shop).toBe(shop);
    expect(session.accessToken).toMatch(/^shpat_/);
    const row = await prisma.shop.findUnique({ where: { shop } });
    expect(row?.installedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await prisma.session.count({ where: { shop } })).toBe(1);
  });

  it("a session token signed with another secret installs nothing", async () => {
    const shop = uniqueShop("forged-install");
    await expect(openAdmin(shop, sessionToken(shop, "not-our-secret"))).rejects.toBeInstanceOf(Response);
    expect(await prisma.shop.count({ where: { shop } })).toBe(0);
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
  });

  it("a shop/redact triggered before a reinstall keeps the new installation, though the old one's rows remain", async () => {
    const shop = uniqueShop("reinstall");
    // The first installation, three days ago; its app/uninstalled never arrived, so its
    // rows (and its expired session) are still here.
    await seedShopRows(shop);
    const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000);
    await prisma.shop.update({ where: { shop }, data: { installedAt: threeDaysAgo } });
    await prisma.session.update({ where: { id: `offline_${shop}` }, data: { expires: new Date(Date.now() - 86_400_000) } });
    // Shopify asks for the redaction (48 hours after that uninstall)…
    const requestedAt = new Date(Date.now() - 60_000).toISOString();
    // …then the merchant installs Cartlift again, and opens it (nothing saved yet)…
    await openAdmin(shop);
    expect((await prisma.shop.findUnique({ where: { shop } }))!.installedAt.getTime()).toBeGreaterThan(Date.parse(requestedAt));
    // …and only now is the redaction request delivered (again).
    const late = await deliverRedact(shop, requestedAt);
    expect(late.status).toBe(200);
    expect(await countShopRows(shop)).toMatchObject({ shops: 1, sessions: 1 });
  });

  it("a shop/redact for the current installation's data, triggered after it was installed, erases it", async () => {
    const shop = uniqueShop("redact-after-install");
    await openAdmin(shop);
    await prisma.offer.create({ data: { shop, name: "Offer", kind: "cross_sell", placements: ["cart"], definition: {} } });
    // The session is gone (uninstalled) and Shopify asks, later, to erase the shop.
    await prisma.session.deleteMany({ where: { shop } });
    const response = await deliverRedact(shop, new Date(Date.now() + 1000).toISOString());
    expect(response.status).toBe(200);
    expect(total(await countShopRows(shop))).toBe(0);
  });
});
