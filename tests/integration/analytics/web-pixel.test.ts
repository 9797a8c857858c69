// Activating the web pixel through the Admin API double: the app creates its pixel with the
// ingest URL, leaves it alone when nothing changed, and updates it when the app moved; the
// double refuses what Shopify refuses (a second pixel, settings that are not JSON or do not
// match the extension's settings definition).
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from "vitest";
import { connectWebPixel, ingestUrlFor } from "../../../app/analytics/web-pixel.server";
import { adminGraphql } from "../../../app/admin-api.server";
import { webPixelOf } from "../../../localshop/admin-api/web-pixels";
import { uniqueShop } from "../../support/webhooks";
import { startTestShop, type TestShop } from "../offers/support";

let testShop: TestShop;
beforeAll(async () => {
  testShop = await startTestShop();
}, 60_000);
afterAll(() => testShop?.stop());

const CREATE = `mutation($s: JSON!) { webPixelCreate(webPixel: { settings: $s }) { webPixel { id } userErrors { code field message } } }`;

describe("connectWebPixel", () => {
  test("creates the pixel with the ingest URL, then updates it only when the app's URL changed", async () => {
    const { admin } = await testShop.scopeFor(uniqueShop("pixel"));
    const state = testShop.local.state;
    expect(webPixelOf(state)).toBeNull();

    const created = await connectWebPixel(admin, "https://cartlift.example/");
    expect(created.status).toBe("created");
    expect(webPixelOf(state)?.settings).toEqual({ ingestUrl: "https://cartlift.example/api/events" });

    expect(await connectWebPixel(admin, "https://cartlift.example")).toEqual({ status: "unchanged", id: (created as { id: string }).id });

    const moved = await connectWebPixel(admin, "https://moved.example");
    expect(moved).toEqual({ status: "updated", id: (created as { id: string }).id });
    expect(webPixelOf(state)?.settings.ingestUrl).toBe(ingestUrlFor("https://moved.example"));
  });

  test("the double refuses a second pixel and settings Shopify would refuse", async () => {
    const { admin } = await testShop.scopeFor(uniqueShop("pixel-refusals"));
    const create = async (s: unknown) => (await adminGraphql<any>(admin, CREATE, { variables: { s } })).webPixelCreate;
    // (the first test created this shop's pixel: the local shop is one shop)
    expect((await create(JSON.stringify({ ingestUrl: "https://x.example/api/events" }))).userErrors[0].code).toBe("TAKEN");
    const fresh = await startTestShop();
    try {
      const other = await fresh.scopeFor(uniqueShop("pixel-fresh"));
      const createOn = async (s: unknown) => (await adminGraphql<any>(other.admin, CREATE, { variables: { s } })).webPixelCreate;
      expect((await createOn("{not json")).userErrors[0].code).toBe("INVALID_CONFIGURATION_JSON");
      expect((await createOn(JSON.stringify({ ingestUrl: "https://x.example/api/events", accountID: "1" }))).userErrors[0].code).toBe("INVALID_SETTINGS");
      expect((await createOn(JSON.stringify({}))).userErrors[0].code).toBe("INVALID_SETTINGS");
      expect((await createOn(JSON.stringify({ ingestUrl: "x" }))).userErrors[0].code).toBe("INVALID_SETTINGS");
      expect(webPixelOf(fresh.local.state)).toBeNull();
    } finally {
      await fresh.stop();
    }
  });
});

describe("events of an offer created after the shop's first batch", () => {
  test("count at once: saving an offer refreshes what the ingest knows of the shop's offers", async () => {
    const { default: prisma } = await import("../../../app/db.server");
    const { ingestEventBatch } = await import("../../../app/analytics/events.server");
    const { saveOffer } = await import("../../../app/offers/offers.server");
    const { templateInput } = await import("../../../app/offers/templates");
    // (a local shop of its own: the test above left the Admin API routed to one it stopped)
    const own = await startTestShop();
    onTestFinished(() => own.stop());
    const scope = await own.scopeFor(uniqueShop("pixel-new-offer"));
    await prisma.shop.upsert({ where: { shop: scope.shop }, create: { shop: scope.shop, timezone: "UTC", currency: "USD" }, update: {} });
    // The pixel's first batch: the ingest now knows the shop (and its offers: none).
    expect(await ingestEventBatch({ shop: scope.shop, events: [{ type: "session", group: "treatment" }] })).toMatchObject({ status: 202, accepted: 1 });
    const input = templateInput("frequently_bought_together");
    input.trigger.variants = ["2001"];
    input.variants = ["2005"];
    const saved = await saveOffer(scope, input, {});
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    const outcome = await ingestEventBatch({ shop: scope.shop, events: [{ type: "impression", offerId: saved.offer.id, placement: "product", group: "treatment" }] });
    expect(outcome).toEqual({ status: 202, accepted: 1, rejected: 0 });
  });
});
