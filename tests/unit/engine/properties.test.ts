// Properties that hold for every ruleset, cart and context (fast-check).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  convertMinor,
  convertThreshold,
  evaluate,
  parseRuleset,
  percentOf,
  PLACEMENTS,
  type Condition,
  type Offer,
  type OfferDiscount,
  type Trigger,
} from "../../../app/engine";
import { CATALOG, NOW, makeContext, makeRuleset } from "./fixtures";

const variantIds = CATALOG.flatMap((p) => Object.keys(p.variants));
const productOf = new Map(CATALOG.flatMap((p) => Object.keys(p.variants).map((v) => [v, p] as const)));
const someOf = <T,>(xs: T[], max = 3) => fc.uniqueArray(fc.constantFrom(...xs), { minLength: 1, maxLength: max });

const discount: fc.Arbitrary<OfferDiscount> = fc.oneof(
  fc.record({ kind: fc.constant("percent" as const), value: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ kind: fc.constant("amount" as const), value: fc.integer({ min: 1, max: 100000 }) }),
);
const trigger: fc.Arbitrary<Trigger> = fc.oneof(
  fc.record({ products: someOf(CATALOG.map((p) => p.productId)) }),
  fc.record({ variants: someOf(variantIds) }),
  fc.record({ collections: someOf(["phones", "accessories", "apparel"]) }),
  fc.record({ tags: someOf(["phone", "accessory", "hair"]), vendors: someOf(["Acme", "Flame"]) }),
);
const condition: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ fact: fc.constant("subtotal" as const), op: fc.constantFrom("gte" as const, "lte" as const), value: fc.integer({ min: 0, max: 200000 }) }),
  fc.record({ fact: fc.constant("loggedIn" as const), op: fc.constant("eq" as const), value: fc.boolean() }),
  fc.record({ fact: fc.constant("country" as const), op: fc.constantFrom("in" as const, "notIn" as const), value: someOf(["US", "CA", "DE"]) }),
);
const base = {
  priority: fc.option(fc.integer({ min: -3, max: 3 }), { nil: undefined }),
  placements: fc.option(someOf(PLACEMENTS, 6), { nil: undefined }),
  conditions: fc.option(condition, { nil: undefined }),
  anchorShare: fc.option(fc.constantFrom(0.1, 0.3, 1, 5), { nil: undefined }),
};
const offer: fc.Arbitrary<Omit<Offer, "id">> = fc.oneof(
  fc.record({ kind: fc.constant("cross_sell" as const), trigger: fc.option(trigger, { nil: undefined }), variants: someOf(variantIds, 5), discount: fc.option(discount, { nil: undefined }), ...base }),
  fc.record({ kind: fc.constant("upsell" as const), trigger, variants: someOf(variantIds), discount: fc.option(discount, { nil: undefined }), ...base }),
  fc.record({
    kind: fc.constant("bundle" as const),
    components: fc.uniqueArray(fc.constantFrom(...CATALOG.map((p) => Object.keys(p.variants)[0])), { minLength: 2, maxLength: 4 }).map((vs) => vs.map((variantId) => ({ variantId }))),
    discount,
    ...base,
  }),
  fc.record({
    kind: fc.constant("quantity_break" as const),
    trigger: fc.option(trigger, { nil: undefined }),
    tiers: fc.uniqueArray(fc.integer({ min: 2, max: 6 }), { minLength: 1, maxLength: 3 }).chain((qs) =>
      fc.tuple(...qs.sort((a, b) => a - b).map((quantity) => discount.map((d) => ({ quantity, discount: d })))),
    ),
    ...base,
  }),
);
const ruleset = fc
  .record({
    offers: fc.array(offer, { maxLength: 12 }),
    maxOffers: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
    anchorShare: fc.option(fc.constantFrom(0.3, 1, 10), { nil: undefined }),
    freeShipping: fc.option(fc.integer({ min: 1, max: 100000 }), { nil: undefined }),
  })
  .map(({ offers, maxOffers, anchorShare, freeShipping }) =>
    makeRuleset({
      offers: offers.map((o, i) => Object.fromEntries(Object.entries({ ...o, id: `o${i}` }).filter(([, v]) => v !== undefined)) as unknown as Offer),
      shop: JSON.parse(JSON.stringify({ maxOffers, anchorShare, freeShipping: freeShipping && { amount: freeShipping }, rewardTiers: [{ id: "gift", label: "Tote", amount: 20000, gift: "tote-1" }] })),
    }),
  );
const cart = fc
  .array(
    fc.record({
      variantId: fc.constantFrom(...variantIds),
      quantity: fc.integer({ min: 1, max: 5 }),
      unitPrice: fc.integer({ min: 0, max: 100000 }),
      offerId: fc.option(fc.constantFrom("o0", "o1", "o2", "o3", "gift", "forged"), { nil: undefined }),
    }),
    { maxLength: 8 },
  )
  .map((lines) => ({
    currency: "USD",
    lines: lines.map((l, i) => {
      const p = productOf.get(l.variantId)!;
      return JSON.parse(JSON.stringify({ id: `L${i}`, productId: p.productId, tags: p.tags, collectionIds: p.collectionIds, vendor: p.vendor, ...l }));
    }),
  }));
const context = fc.record({
  placement: fc.constantFrom(...PLACEMENTS),
  dismissed: fc.uniqueArray(fc.constantFrom("o0", "o1", "o2"), { maxLength: 2 }),
  country: fc.constantFrom("US", "DE"),
  customer: fc.record({ loggedIn: fc.boolean() }),
}).map((c) => makeContext(c));

describe("engine properties", () => {
  it("money helpers never return a negative or fractional amount", () => {
    fc.assert(
      fc.property(fc.nat(1e10), fc.double({ min: 1e-4, max: 1e4, noNaN: true }), fc.constantFrom("USD", "EUR", "JPY", "KRW", "KWD"), fc.double({ min: -50, max: 200, noNaN: true }), (amount, rate, to, pct) => {
        for (const x of [convertMinor(amount, "USD", to, rate), convertThreshold(amount, "USD", to, rate), percentOf(amount, pct)]) {
          expect(Number.isInteger(x) && x >= 0).toBe(true);
        }
        expect(convertThreshold(amount, "USD", to, rate)).toBeGreaterThanOrEqual(convertMinor(amount, "USD", to, rate));
        expect(percentOf(amount, pct)).toBeLessThanOrEqual(amount);
      }),
    );
  });

  it("discounts are positive whole amounts, never above their line, one per line", () => {
    fc.assert(
      fc.property(ruleset, cart, context, (rs, c, ctx) => {
        const e = evaluate(rs, c, ctx);
        expect(e.diagnostics).toEqual([]);
        const seen = new Set<string>();
        for (const d of e.discounts) {
          if (d.kind != "lineDiscount") continue;
          const line = c.lines.find((l) => l.id == d.lineId)!;
          expect(Number.isInteger(d.amount) && d.amount > 0).toBe(true);
          expect(d.amount).toBeLessThanOrEqual(line.unitPrice * line.quantity);
          expect(seen.has(d.lineId)).toBe(false);
          seen.add(d.lineId);
        }
      }),
    );
  });

  it("never offers a product already in the cart, nor more offers or items than allowed", () => {
    fc.assert(
      fc.property(ruleset, cart, context, (rs, c, ctx) => {
        const e = evaluate(rs, c, ctx);
        const inCart = new Set(c.lines.map((l) => l.productId));
        const inCartVariants = new Set(c.lines.map((l) => l.variantId));
        expect(e.offers.length).toBeLessThanOrEqual(rs.shop.maxOffers ?? 3);
        for (const o of e.offers) {
          expect(o.items.length).toBeGreaterThan(0);
          expect(o.items.length).toBeLessThanOrEqual(3);
          expect(ctx.dismissed).not.toContain(o.id);
          for (const i of o.items) {
            if (o.kind == "cross_sell" || o.kind == "bundle") expect(inCart.has(i.productId)).toBe(false);
            if (o.kind == "upsell") expect(inCartVariants.has(i.variantId)).toBe(false);
            expect(i.priceAfter).toBeGreaterThanOrEqual(0);
            expect(i.priceAfter).toBeLessThanOrEqual(i.priceBefore);
          }
        }
        // Every offer is accounted for exactly once.
        expect([...e.offers.map((o) => o.id), ...e.skipped.map((s) => s.offerId)].sort()).toEqual(rs.offers.map((o) => o.id).sort());
        for (const g of [e.freeShipping, ...e.rewardTiers]) if (g) expect(g.progress >= 0 && g.progress <= 1 && g.remaining >= 0).toBe(true);
      }),
    );
  });

  it("parseRuleset accepts every generated ruleset", () => {
    fc.assert(
      fc.property(ruleset, (rs) => {
        expect(parseRuleset(rs).ok).toBe(true);
      }),
    );
  });

  it("evaluate and parseRuleset never throw on arbitrary JSON", () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.anything(), (a, b, c) => {
        expect(parseRuleset(a).ok).toBe(false);
        const e = evaluate(a as never, b as never, c as never);
        expect(e.diagnostics.length).toBeGreaterThan(0);
        expect(e.offers).toEqual([]);
        expect(e.discounts).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it("fails closed, without throwing, on arbitrary carts and contexts against a valid ruleset", () => {
    fc.assert(
      fc.property(ruleset, fc.anything(), fc.anything(), (rs, b, c) => {
        const e = evaluate(rs, b as never, c as never);
        expect(e.diagnostics.length).toBeGreaterThan(0);
        expect(e.discounts).toEqual([]);
      }),
    );
  });

  it("never throws on arbitrary JSON text", () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(() => parseRuleset(text)).not.toThrow();
      }),
    );
  });

  it("rejects or accepts a mutated ruleset without throwing", () => {
    // Corrupt one value deep inside a valid ruleset.
    fc.assert(
      fc.property(ruleset, fc.nat(), fc.anything(), cart, (rs, pick, junk, c) => {
        const json = JSON.parse(JSON.stringify(rs));
        const holders: [Record<string, unknown>, string][] = [];
        const walk = (x: unknown) => {
          if (x && typeof x == "object") for (const [k, v] of Object.entries(x)) (holders.push([x as Record<string, unknown>, k]), walk(v));
        };
        walk(json);
        const [obj, key] = holders[pick % holders.length];
        obj[key] = junk;
        const parsed = parseRuleset(json);
        const e = evaluate(json, c, makeContext({ now: NOW }));
        expect(parsed.ok).toBe(e.diagnostics.length == 0 || e.diagnostics[0].code != "INVALID_RULESET");
      }),
    );
  });
});
