import { describe, expect, it } from "vitest";
import {
  coerceSettingsInput,
  DEFAULT_TEXTS,
  defaultSettings,
  displaySettings,
  LANGUAGES,
  readSettings,
  settingsToInput,
  validateSettings,
} from "../../../app/settings/settings";
import { explainSkip, formatMoney } from "../../../app/offers/explain";
import { catalog, DRINK } from "./fixtures";

const context = { currency: "USD", currencies: ["USD", "EUR", "JPY", "KRW"], products: catalog(), newId: () => "fixed" };

function input() {
  return settingsToInput(defaultSettings(), "USD", context.currencies);
}

describe("shop settings", () => {
  it("round-trips the defaults through the form", () => {
    const result = validateSettings(input(), context);
    expect(result).toEqual({ ok: true, settings: defaultSettings() });
  });

  it("stores a free-shipping goal with explicit per-currency thresholds in each currency's minor units", () => {
    const form = input();
    form.freeShippingEnabled = true;
    form.freeShippingAmount = "75";
    form.freeShippingAmounts = { EUR: "70.00", JPY: "12000", KRW: "" };
    const result = validateSettings(form, context);
    expect(result.ok && result.settings.freeShipping).toEqual({ enabled: true, amount: 7500, amounts: { EUR: 7000, JPY: 12000 } });
  });

  it("rejects what cannot be read, inline", () => {
    const form = input();
    form.freeShippingEnabled = true;
    form.freeShippingAmount = "lots";
    form.maxOffers = "7";
    form.anchorShare = "0";
    form.colorSource = "custom";
    form.colors.accent = "red";
    form.texts.es.freeShippingProgress = "Casi tienes envío gratis";
    const result = validateSettings(form, context);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toMatchObject({
      freeShippingAmount: "Enter an amount like 75.00.",
      maxOffers: "Show between 1 and 3 offers per placement.",
      anchorShare: expect.stringMatching(/above 0/),
      "colors.accent": "Enter a colour like #1a1a1a.",
      "texts.es.freeShippingProgress": "Keep {amount} in the text: the widget fills it in.",
    });
  });

  it("validates reward tiers: labels, ascending thresholds, gifts in the catalog", () => {
    const form = input();
    form.rewardTiers = [
      { id: "", label: "Free drink", amount: "100", amounts: {}, gift: DRINK },
      { id: "", label: "", amount: "50", amounts: {}, gift: "" },
    ];
    const bad = validateSettings(form, context);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors["rewardTiers[1].label"]).toMatch(/what the shopper gets/);
      expect(bad.errors["rewardTiers[1].amount"]).toMatch(/higher threshold/);
    }
    form.rewardTiers = [{ id: "", label: "Free drink", amount: "100", amounts: {}, gift: "404" }];
    const gone = validateSettings(form, context);
    expect(!gone.ok && gone.errors["rewardTiers[0].gift"]).toMatch(/no longer in your catalog/);
    form.rewardTiers[0].gift = DRINK;
    const good = validateSettings(form, context);
    expect(good.ok && good.settings.rewardTiers).toEqual([{ id: "tier-fixed", label: "Free drink", amount: 10000, amounts: {}, gift: DRINK }]);
  });

  it("keeps only the texts a merchant changed, and publishes every language in full", () => {
    const form = input();
    form.texts.ja.add = "カートに入れる";
    const result = validateSettings(form, context);
    expect(result.ok && result.settings.texts).toEqual({ ja: { add: "カートに入れる" } });
    if (!result.ok) return;
    const display = displaySettings(result.settings);
    expect(Object.keys(display.texts)).toEqual([...LANGUAGES]);
    expect(display.texts.ja.add).toBe("カートに入れる");
    expect(display.texts.hy.add).toBe(DEFAULT_TEXTS.hy.add);
  });

  it("refuses texts and tier labels Postgres cannot store or a shopper cannot see (NUL, control characters, lone surrogates)", () => {
    const form = input();
    form.texts.en.add = "A\u0000dd";
    form.texts.ko.save = "{amount} \ud800";
    form.rewardTiers = [{ id: "", label: "Tote\u0007", amount: "100", amounts: {}, gift: "" }];
    const result = validateSettings(form, context);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toMatchObject({
      "texts.en.add": "Remove the invisible control characters from this text.",
      "texts.ko.save": "Remove the invisible control characters from this text.",
      "rewardTiers[0].label": "Remove the invisible control characters from this text.",
    });
  });

  it("reads partial or foreign documents safely", () => {
    expect(readSettings({ freeShipping: 7500 })).toEqual(defaultSettings());
    expect(readSettings(null)).toEqual(defaultSettings());
    expect(readSettings({ maxOffers: 9, colors: { source: "custom", accent: "#000000" } })).toMatchObject({ maxOffers: 3, colors: { source: "theme" } });
    expect(coerceSettingsInput("nope").colorSource).toBe("theme");
  });
});

describe("preview words", () => {
  it("explains each skip reason in the merchant's terms", () => {
    const ctx = { placement: "cart" as const, anchorShare: 0.3, maxOffers: 3 };
    expect(explainSkip("NO_TRIGGER", ctx)).toBe("Nothing in the cart triggers it.");
    expect(explainSkip("OVER_ANCHOR", ctx)).toMatch(/more than 30% of the cart/);
    expect(explainSkip("LIMIT_REACHED", ctx)).toMatch(/Only 3 offers/);
    expect(explainSkip("PLACEMENT", { ...ctx, placements: ["thank_you"] })).toBe("Not shown on the cart page: it shows on the thank-you page.");
    expect(explainSkip("CONDITION_FAILED:loggedIn", ctx)).toBe("It is for logged-in customers only.");
    expect(explainSkip("ENDED", { ...ctx, endsAt: "2026-01-02T15:00:00Z", timezone: "UTC" })).toBe("It ended Jan 2, 2026, 3:00 PM.");
  });

  it("formats money in each currency's minor units", () => {
    expect(formatMoney(2900, "USD")).toBe("$29.00");
    expect(formatMoney(4400, "JPY")).toBe("¥4,400");
    expect(formatMoney(40020, "KRW")).toBe("₩40,020");
  });
});

describe("schedules in the shop's time zone", async () => {
  const { fromZonedInput, toZonedInput } = await import("../../../app/offers/time");
  it("converts both ways, across daylight saving", () => {
    expect(toZonedInput("2026-07-01T13:00:00.000Z", "America/New_York")).toBe("2026-07-01T09:00");
    expect(fromZonedInput("2026-07-01T09:00", "America/New_York")).toBe("2026-07-01T13:00:00.000Z");
    expect(fromZonedInput("2026-12-01T09:00", "America/New_York")).toBe("2026-12-01T14:00:00.000Z");
    expect(fromZonedInput("2026-12-01T09:00", "Asia/Tokyo")).toBe("2026-12-01T00:00:00.000Z");
    expect(fromZonedInput("", "UTC")).toBe("");
  });
});
