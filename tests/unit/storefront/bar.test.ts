import { describe, expect, it } from "vitest";
import { evaluate, type Ruleset } from "../../../app/engine";
import { barGoals, barView } from "../../../storefront/bar";
import { formatMinor, toCents } from "../../../storefront/money";
import { goalsFromTotal } from "../../../storefront/page-bar";
import { createLiquid } from "../../../localshop/storefront/liquid";
import { EXTENSION_DIR } from "../../../localshop/storefront/render";
import { ids, ruleset } from "./fixtures";

const texts = {
  bar_away: "You're {amount} away from free shipping",
  bar_reached: "You've unlocked free shipping!",
  bar_away_reward: "Spend {amount} more to get {reward}",
  bar_reached_reward: "You've unlocked {reward}!",
};
const FORMATS: Record<string, string> = { USD: "${{amount}}", EUR: "€{{amount_with_comma_separator}}", JPY: "¥{{amount_no_decimals}}", KRW: "₩{{amount_no_decimals}}" };
const RATES: Record<string, number> = { USD: 1, EUR: 0.92, JPY: 151.5, KRW: 1380 };

/** The script's bar for a cart of `units` chargers (no discounts) in `currency`. */
function scriptBar(rs: Ruleset, currency: string, unitPrice: number, units: number) {
  const ev = evaluate(rs, { currency, lines: units ? [{ id: "l", productId: ids.product("usb-c-charger-20w"), variantId: ids.charger, quantity: units, unitPrice }] : [] }, { placement: "cart", now: 0, rate: RATES[currency] });
  return barView(barGoals(ev.freeShipping, ev.rewardTiers), (m) => formatMinor(m, currency, FORMATS[currency]), texts);
}

describe("barView", () => {
  it("says the exact amount left to free shipping, then the next reward, then that all is unlocked", () => {
    expect(scriptBar(ruleset, "USD", 2500, 2)).toEqual({ message: "You're $25.00 away from free shipping", progress: 5000 / 7500, reached: false });
    expect(scriptBar(ruleset, "USD", 2500, 3)?.message).toBe("You've unlocked free shipping! Spend $75.00 more to get Free gift wrapping");
    expect(scriptBar(ruleset, "USD", 2500, 6)).toEqual({ message: "You've unlocked Free gift wrapping!", progress: 1, reached: true });
  });

  it("converts the $75 goal to clean EUR, JPY and KRW figures (the engine's rounding)", () => {
    expect(scriptBar(ruleset, "EUR", 2300, 2)?.message).toBe("You're €23,00 away from free shipping"); // €69
    expect(scriptBar(ruleset, "EUR", 2300, 3)?.message).toBe("You've unlocked free shipping! Spend €69,00 more to get Free gift wrapping");
    expect(scriptBar(ruleset, "JPY", 3788, 3)?.message).toBe("You're ¥36 away from free shipping"); // ¥11,400
    expect(scriptBar(ruleset, "KRW", 34500, 3)?.message).toBe("You're ₩500 away from free shipping"); // ₩104,000
  });

  it("shows nothing without goals", () => {
    expect(barView([], String, texts)).toBeNull();
  });
});

describe("the Liquid bar agrees with the script's", () => {
  const { liquid } = createLiquid(EXTENSION_DIR);
  const render = (rs: Ruleset, currency: string, totalCents: number) =>
    liquid.parseAndRender(
      "{% render 'cartlift-bar', ruleset: ruleset, away: away, reached: reached, away_reward: away_reward, reached_reward: reached_reward, label: 'Progress' %}",
      { ruleset: rs, away: texts.bar_away, reached: texts.bar_reached, away_reward: texts.bar_away_reward, reached_reward: texts.bar_reached_reward },
      { globals: { cart: { currency: { iso_code: currency }, total_price: totalCents }, shop: { money_format: FORMATS[currency] } } },
    );
  const message = (html: string) => /cartlift-bar__message" role="status">([^<]*)</.exec(html)![1].replace(/&#39;/g, "'");

  // Explicit amounts for every currency: Liquid can render them all exactly.
  const explicit: Ruleset = structuredClone(ruleset);
  explicit.shop.freeShipping!.amounts = { EUR: 6900, JPY: 11400, KRW: 104000 };
  explicit.shop.rewardTiers![0].amounts = { EUR: 13800, JPY: 22800, KRW: 207000 };

  it.each([
    ["USD", 2500, [0, 1, 2, 3, 5, 6]],
    ["EUR", 2300, [1, 2, 3, 6]],
    ["JPY", 3788, [1, 3, 4, 6]],
    ["KRW", 34500, [1, 3, 4, 6]],
  ] as const)("in %s", async (currency, unit, counts) => {
    for (const n of counts) {
      const html = await render(explicit, currency, toCents(unit * n, currency));
      const view = scriptBar(explicit, currency, unit, n)!;
      expect(message(html), `${n} units`).toBe(view.message);
      expect(html).toContain(`aria-valuenow="${Math.floor(view.progress * 100)}"`);
    }
  });

  it("renders a reached reward's gift button unless the gift is in the cart", async () => {
    const withGift: Ruleset = structuredClone(ruleset);
    withGift.shop.rewardTiers = [{ id: "free-filters", amount: 10000, label: "free filters", gift: "2042" }];
    const html = (items: object[]) =>
      liquid.parseAndRender("{% render 'cartlift-bar', ruleset: ruleset, away: 'a {amount}', reached: 'r', away_reward: 'ar', reached_reward: 'rr {reward}', label: 'L', claim: 'Add {reward}' %}", { ruleset: withGift }, { globals: { cart: { currency: { iso_code: "USD" }, total_price: 23500, items }, shop: { money_format: FORMATS.USD } } });
    expect(await html([])).toContain('<button type="button" class="cartlift-button cartlift-button--primary cartlift-bar__gift" data-cl-act="free-filters:gift">Add free filters</button>');
    expect(await html([{ variant_id: 2042 }])).not.toContain("cartlift-bar__gift");
  });

  it("leaves a converted threshold to the script, with the room reserved", async () => {
    const html = await render(ruleset, "EUR", 4600);
    expect(html).toContain("data-pending");
    expect(message(html)).toBe("");
  });
});

describe("the page-view bar (converted thresholds, before the engine loads) agrees with the engine", () => {
  it.each([
    ["EUR", 2300, [0, 1, 2, 3, 6, 7]],
    ["JPY", 3788, [1, 3, 4, 6, 7]],
    ["KRW", 34500, [1, 3, 4, 6, 7]],
  ] as const)("in %s", (currency, unit, counts) => {
    for (const n of counts) {
      const ev = evaluate(ruleset, { currency, lines: n ? [{ id: "l", productId: ids.product("usb-c-charger-20w"), variantId: ids.charger, quantity: n, unitPrice: unit }] : [] }, { placement: "cart", now: 0, rate: RATES[currency] });
      expect(goalsFromTotal(ruleset.shop, currency, RATES[currency], unit * n), `${n} units`).toEqual(barGoals(ev.freeShipping, ev.rewardTiers));
    }
  });
});

describe("a reward tier's gift bought at full price (issue 11, item 15)", () => {
  it("counts toward free shipping in the engine as on the page bar ($65 jacket + $15 tote gift of the $100 tier: $80 paid)", () => {
    const withGift: Ruleset = structuredClone(ruleset);
    const [tote, jacket] = Object.entries(withGift.products).flatMap(([productId, p]) => Object.keys(p.variants).map((variantId) => ({ productId, variantId })));
    withGift.shop.rewardTiers = [{ id: "tote", label: "Free tote", amount: 10000, gift: tote.variantId }];
    const lines = [
      { id: "j", ...jacket, quantity: 1, unitPrice: 6500 },
      { id: "t", ...tote, quantity: 1, unitPrice: 1500 },
    ];
    const ev = evaluate(withGift, { currency: "USD", lines }, { placement: "cart", now: 0 });
    expect(ev.freeShipping).toMatchObject({ threshold: 7500, remaining: 0, reached: true });
    // The page bar measures Liquid's cart total (after the discounts the cart earns): the same $80.
    const page = goalsFromTotal(withGift.shop, "USD", 1, 8000).find((g) => !g.label);
    expect(page).toEqual(barGoals(ev.freeShipping, []).find((g) => !g.label));
    expect(barView(barGoals(ev.freeShipping, ev.rewardTiers), (m) => formatMinor(m, "USD", FORMATS.USD), texts)?.message).toBe("You've unlocked free shipping! Spend $35.00 more to get Free tote");
  });
});

describe("free shipping only where something ships", () => {
  it("leaves the free-shipping goal out of a cart of items that need no shipping, keeping reward tiers", async () => {
    const { barGoals } = await import("../../../storefront/bar");
    const { shipsAnything } = await import("../../../storefront/cart");
    const line = (requires_shipping?: boolean) => ({ requires_shipping }) as never;
    expect(shipsAnything({ items: [line(false), line(false)] } as never)).toBe(false);
    expect(shipsAnything({ items: [line(false), line(true)] } as never)).toBe(true);
    expect(shipsAnything({ items: [line(undefined)] } as never)).toBe(true);
    expect(shipsAnything({ items: [] } as never)).toBe(true);
    const free = { threshold: 7500, remaining: 6550, progress: 0.12, reached: false };
    const tier = { id: "wrap", threshold: 15000, remaining: 14050, progress: 0.06, reached: false, label: "Free gift wrapping" };
    expect(barGoals(free, [tier as never], false).map((g) => g.label)).toEqual(["Free gift wrapping"]);
    expect(barGoals(free, [tier as never], true).map((g) => g.label)).toEqual([undefined, "Free gift wrapping"]);
  });
});
