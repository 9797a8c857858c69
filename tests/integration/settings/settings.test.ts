// Shop settings end to end: validated with the engine's rules, stored per shop, and
// published in the ruleset (the engine's `shop` part and the surfaces' `display` part).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../../app/db.server";
import { parseRuleset, evaluate, type Ruleset } from "../../../app/engine";
import { getSettings, getSettingsVersion, saveSettings, SETTINGS_CONFLICT } from "../../../app/settings/settings.server";
import { defaultSettings, settingsToInput } from "../../../app/settings/settings";
import { getApp, getMetafield } from "../../../localshop/state";
import { uniqueShop } from "../../support/webhooks";
import { startTestShop, type TestShop } from "../offers/support";

let testShop: TestShop;
beforeAll(async () => {
  testShop = await startTestShop();
});
afterAll(() => testShop.stop());

const currencies = ["USD", "EUR", "JPY", "KRW"];

describe("shop settings", () => {
  it("saves a free-shipping goal, a gift tier and texts, and publishes them", async () => {
    const scope = await testShop.scopeFor(uniqueShop("settings"));
    const input = settingsToInput(defaultSettings(), "USD", currencies);
    input.freeShippingEnabled = true;
    input.freeShippingAmount = "75.00";
    input.freeShippingAmounts = { EUR: "70", JPY: "", KRW: "" };
    input.rewardTiers = [{ id: "", label: "Free drink", amount: "100", amounts: {}, gift: "2028" }];
    input.texts.ko.add = "담기";
    const result = await saveSettings(scope, input, 0);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.publish.status).toBe("published");

    const stored = await getSettings(scope.shop);
    expect(stored.freeShipping).toEqual({ enabled: true, amount: 7500, amounts: { EUR: 7000 } });
    expect(stored.rewardTiers[0]).toMatchObject({ label: "Free drink", amount: 10000, gift: "2028" });

    const metafield = getMetafield(testShop.local.state, getApp(testShop.local.state).installationId, "cartlift", "ruleset");
    const published = JSON.parse(metafield!.value) as Ruleset & { display: { texts: Record<string, Record<string, string>> } };
    expect(parseRuleset(published).ok).toBe(true);
    expect(published.shop.freeShipping).toEqual({ amount: 7500, amounts: { EUR: 7000 } });
    expect(published.display.texts.ko.add).toBe("담기");
    expect(published.display.texts["pt-BR"].add).toBe("Adicionar");
    const evaluation = evaluate(published, { currency: "EUR", lines: [{ id: "a", productId: "1038", variantId: "2050", quantity: 2, unitPrice: 1472 }] }, { placement: "cart", now: Date.now(), rate: 0.92 });
    expect(evaluation.freeShipping).toMatchObject({ threshold: 7000, remaining: 7000 - 2944 });
  });

  it("refuses invalid settings inline and changes nothing", async () => {
    const scope = await testShop.scopeFor(uniqueShop("settings-invalid"));
    await prisma.shop.create({ data: { shop: scope.shop, settings: { maxOffers: 2 } } });
    const input = settingsToInput(defaultSettings(), "USD", currencies);
    input.freeShippingEnabled = true;
    input.freeShippingAmount = "-5";
    input.rewardTiers = [{ id: "", label: "Gift", amount: "50", amounts: {}, gift: "999999" }];
    const result = await saveSettings(scope, input, 0);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.freeShippingAmount).toBeTruthy();
    expect((await prisma.shop.findUnique({ where: { shop: scope.shop } }))?.settings).toEqual({ maxOffers: 2 });
    expect(await prisma.publishRecord.count({ where: { shop: scope.shop } })).toBe(0);
  });

  it("reports a gift that is not in the catalog next to the tier", async () => {
    const scope = await testShop.scopeFor(uniqueShop("settings-gift"));
    const input = settingsToInput(defaultSettings(), "USD", currencies);
    input.rewardTiers = [{ id: "", label: "Gift", amount: "50", amounts: {}, gift: "999999" }];
    const result = await saveSettings(scope, input, 0);
    expect(result).toEqual({ ok: false, reason: "invalid", errors: { "rewardTiers[0].gift": "That gift is no longer in your catalog: choose another." } });
  });

  it("carries a version: a save from a stale version (another tab) is refused and changes nothing", async () => {
    const scope = await testShop.scopeFor(uniqueShop("settings-version"));
    expect(await getSettingsVersion(scope.shop)).toBe(0);
    const first = settingsToInput(defaultSettings(), "USD", currencies);
    first.maxOffers = "2";
    const saved = await saveSettings(scope, first, 0);
    expect(saved).toMatchObject({ ok: true, version: 1 });
    expect(await getSettingsVersion(scope.shop)).toBe(1);
    const publishes = await prisma.publishRecord.count({ where: { shop: scope.shop } });

    // The second tab opened the settings at version 0 too, and saves after the first.
    const second = settingsToInput(defaultSettings(), "USD", currencies);
    second.anchorShare = "50";
    const stale = await saveSettings(scope, second, 0);
    expect(stale).toEqual({ ok: false, reason: "conflict", errors: { form: SETTINGS_CONFLICT } });
    expect((await getSettings(scope.shop)).maxOffers).toBe(2);
    expect((await getSettings(scope.shop)).anchorShare).toBe(0.3);
    expect(await getSettingsVersion(scope.shop)).toBe(1);
    expect(await prisma.publishRecord.count({ where: { shop: scope.shop } })).toBe(publishes);

    // Saved over the version it now names, it goes through.
    expect(await saveSettings(scope, second, 1)).toMatchObject({ ok: true, version: 2 });
    expect((await getSettings(scope.shop)).anchorShare).toBe(0.5);
  });

  it("two first saves at the same moment: one is stored, the other refused", async () => {
    const scope = await testShop.scopeFor(uniqueShop("settings-race"));
    const a = settingsToInput(defaultSettings(), "USD", currencies);
    a.maxOffers = "1";
    const b = settingsToInput(defaultSettings(), "USD", currencies);
    b.maxOffers = "2";
    const results = await Promise.all([saveSettings(scope, a, 0), saveSettings(scope, b, 0)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason == "conflict")).toHaveLength(1);
    const winner = results[0].ok ? 1 : 2;
    expect((await getSettings(scope.shop)).maxOffers).toBe(winner);
    expect(await getSettingsVersion(scope.shop)).toBe(1);
  });
});
