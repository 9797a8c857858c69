// A reliability run: forged, oversized, malformed and mismatched webhooks, and hostile
// admin input (offers, a double-submitted create, hostile and stale settings), against the
// real routes and database. It counts what was accepted that
// should have been refused, every 500 (a thrown error counts as one), and data lost (a
// shop's rows changed by something that was refused), prints the counts on one line, and
// requires all three to be 0.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { saveOffer } from "../../app/offers/offers.server";
import { saveSettings } from "../../app/settings/settings.server";
import { defaultSettings, settingsToInput } from "../../app/settings/settings";
import { templateInput } from "../../app/offers/templates";
import { action as appUninstalled } from "../../app/routes/webhooks.app.uninstalled";
import { action as shopRedact } from "../../app/routes/webhooks.shop.redact";
import { action as customersRedact } from "../../app/routes/webhooks.customers.redact";
import { action as ordersCreate } from "../../app/routes/webhooks.orders.create";
import { uniqueShop, webhookRequest } from "../support/webhooks";
import { countShopRows, seedShopRows } from "../support/shop-data";
import { startTestShop, type TestShop } from "./offers/support";

type Action = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown>;

let testShop: TestShop;
beforeAll(async () => {
  testShop = await startTestShop();
});
afterAll(() => testShop?.stop());

const counts = { sent: 0, acceptedWhereRefused: 0, responses500: 0, dataLost: 0 };

async function status(action: Action, request: Request): Promise<number> {
  try {
    const response = (await action({ request, params: {}, context: {} })) as Response;
    return response.status;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    return 500;
  }
}

describe("reliability under hostile input", () => {
  it("refuses every hostile webhook and admin input: 0 accepted, 0 answers 500, 0 data lost", async () => {
    const victim = uniqueShop("victim");
    const other = uniqueShop("other");
    await seedShopRows(victim);
    await seedShopRows(other);
    const before = JSON.stringify([await countShopRows(victim), await countShopRows(other)]);

    const big = "x".repeat(2 * 1024 * 1024);
    const webhooks: Array<[Action, Request]> = [
      [shopRedact, webhookRequest({ topic: "shop/redact", shop: victim, payload: { shop_domain: victim }, hmac: "Zm9yZ2Vk" })],
      [appUninstalled, webhookRequest({ topic: "app/uninstalled", shop: victim, payload: {}, secret: "someone-else" })],
      [shopRedact, webhookRequest({ topic: "shop/redact", shop: victim, payload: null, rawBody: JSON.stringify({ shop_domain: victim, pad: big }) })],
      [shopRedact, webhookRequest({ topic: "shop/redact", shop: victim, payload: null, rawBody: "{oops" })],
      [shopRedact, webhookRequest({ topic: "shop/redact", shop: victim, payload: null, rawBody: "null" })],
      [customersRedact, webhookRequest({ topic: "customers/redact", shop: victim, payload: null, rawBody: "[1,2]" })],
      [ordersCreate, webhookRequest({ topic: "orders/create", shop: victim, payload: null, rawBody: "null" })],
      [shopRedact, webhookRequest({ topic: "orders/create", route: "shop/redact", shop: victim, payload: { id: 1 } })],
      [appUninstalled, webhookRequest({ topic: "shop/redact", route: "app/uninstalled", shop: victim, payload: { shop_domain: victim } })],
      [shopRedact, webhookRequest({ topic: "shop/redact", shop: victim, payload: { shop_domain: other } })],
      [customersRedact, webhookRequest({ topic: "customers/redact", shop: victim, payload: { shop_domain: other, customer: { id: 1 }, orders_to_redact: [1001] } })],
    ];
    for (const [action, request] of webhooks) {
      counts.sent++;
      const code = await status(action, request);
      if (code >= 500) counts.responses500++;
      else if (code < 400) counts.acceptedWhereRefused++;
    }

    // Hostile admin input: each must come back as field errors, never saved, never a 500.
    const scope = await testShop.scopeFor(uniqueShop("hostile-admin"));
    const base = () => {
      const input = templateInput("frequently_bought_together");
      input.trigger.variants = ["2001"];
      input.variants = ["2005"];
      return input;
    };
    const hostile = [
      { ...base(), priority: String(2 ** 31) },
      { ...base(), priority: "99999999999999999999" },
      { ...base(), startsAt: "+275760-09-13T00:00:00.000Z" },
      { ...base(), endsAt: "9999-12-31T23:59:59Z" },
      { ...base(), name: "Phone\u0000case" },
      { ...base(), name: "Lone \ud800 surrogate" },
      { ...base(), title: "Tail \udc00" },
      { ...base(), discount: { kind: "percent" as const, value: "0x10" } },
      { ...base(), discount: { kind: "percent" as const, value: "1e1" } },
      { ...base(), name: "y".repeat(100_000) },
      { ...base(), trigger: { ...base().trigger, tags: Array.from({ length: 2000 }, (_, i) => `tag-${i}-${"z".repeat(20)}`) } },
      { ...base(), variants: ["2005\u0000"] },
    ];
    for (const input of hostile) {
      counts.sent++;
      try {
        const result = await saveOffer(scope, input, {});
        if (result.ok) counts.acceptedWhereRefused++;
      } catch {
        counts.responses500++;
      }
    }
    if ((await prisma.offer.count({ where: { shop: scope.shop } })) != 0) counts.acceptedWhereRefused++;

    // A create submitted twice with its form's key (a double click): the second makes nothing.
    const createKey = "reliability-double-submit-0001";
    for (const result of await Promise.all([saveOffer(scope, base(), { createKey }), saveOffer(scope, base(), { createKey })])) {
      counts.sent++;
      if (!result.ok) counts.responses500++; // a valid offer: refusing it would lose it
    }
    if ((await prisma.offer.count({ where: { shop: scope.shop } })) != 1) counts.acceptedWhereRefused++;

    // Hostile or stale settings: refused with field errors or a conflict, nothing stored.
    const settingsScope = await testShop.scopeFor(uniqueShop("hostile-settings"));
    const settings = () => settingsToInput(defaultSettings(), "USD", ["USD", "EUR", "JPY", "KRW"]);
    const first = settings();
    first.maxOffers = "2";
    if (!(await saveSettings(settingsScope, first, 0)).ok) counts.responses500++;
    const stored = JSON.stringify((await prisma.shop.findUnique({ where: { shop: settingsScope.shop } }))?.settings);
    const hostileSettings: Array<[ReturnType<typeof settings>, number]> = [
      [{ ...settings(), freeShippingEnabled: true, freeShippingAmount: "-5" }, 1],
      [{ ...settings(), colorSource: "custom", colors: { ...settings().colors, accent: "#12345" } }, 1],
      [{ ...settings(), anchorShare: "1e400" }, 1],
      [{ ...settings(), texts: { ...settings().texts, en: { ...settings().texts.en, add: "A\u0000dd" } } }, 1],
      [{ ...settings(), maxOffers: "1" }, 0], // a second tab, still at version 0
    ];
    for (const [input, version] of hostileSettings) {
      counts.sent++;
      try {
        if ((await saveSettings(settingsScope, input, version)).ok) counts.acceptedWhereRefused++;
      } catch {
        counts.responses500++;
      }
    }
    if (JSON.stringify((await prisma.shop.findUnique({ where: { shop: settingsScope.shop } }))?.settings) != stored) counts.dataLost++;

    const after = JSON.stringify([await countShopRows(victim), await countShopRows(other)]);
    if (after != before) counts.dataLost++;

    console.log(
      `reliability: sent ${counts.sent}, accepted-where-should-be-refused ${counts.acceptedWhereRefused}, responses-500 ${counts.responses500}, data-lost ${counts.dataLost}`,
    );
    expect(counts).toEqual({ sent: webhooks.length + hostile.length + 2 + hostileSettings.length, acceptedWhereRefused: 0, responses500: 0, dataLost: 0 });
  });
});
