// Engine benchmark: p50/p99 of `evaluate` for carts of 1, 20 and 200 lines against 10, 100
// and 500 offers (best of 5 rounds of 2,000 evaluations, see below), the cold cost the
// storefront pays once per page load (JSON text → parseRuleset → first evaluate, median
// of 40), the ruleset's JSON size, and the engine's size (app/engine/index.ts bundled by
// esbuild, minified, ESM, gzip level 9). One figure per line:
//   figure <name> <value> <unit>
// Budget: engine.gzip ≤ 8,192 bytes (8 KB: the engine loads on the shopper's first
// interaction, not on page view; app/engine/plan.ts, publish-time only, is not in it).
// The workload is seeded (catalog of 2,000 products in 30 collections and 60 tags; lines
// with 2 collections and 3 tags; offers a mix of cross-sells, upsells, bundles and
// quantity breaks with product, collection, tag and variant triggers, 30% with a
// subtotal condition, 30% placement-limited), so runs differ only by the machine.
import { buildSync } from "esbuild";
import { performance } from "node:perf_hooks";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { evaluate, parseRuleset, type Cart, type CartLine, type Context, type Offer, type ProductSnapshot, type Ruleset } from "../app/engine";

// mulberry32: a tiny deterministic PRNG.
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(42);
const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
const some = <T>(xs: T[], n: number): T[] => [...new Set(Array.from({ length: n }, () => pick(xs)))];

// A catalog of 2,000 products with 2 variants each, in 30 collections and 60 tags.
const PRODUCTS = 2000;
const collections = Array.from({ length: 30 }, (_, i) => `c${i}`);
const tags = Array.from({ length: 60 }, (_, i) => `tag${i}`);
const vendors = Array.from({ length: 20 }, (_, i) => `vendor${i}`);
const types = Array.from({ length: 15 }, (_, i) => `type${i}`);
const catalog = Array.from({ length: PRODUCTS }, (_, i) => ({
  productId: String(7000000 + i),
  variants: [String(40000000 + 2 * i), String(40000000 + 2 * i + 1)],
  price: int(300, 30000),
  collectionIds: some(collections, 2),
  tags: some(tags, 3),
  vendor: pick(vendors),
  productType: pick(types),
}));
const variantPool = catalog.flatMap((p) => p.variants);

function makeOffers(n: number): Offer[] {
  return Array.from({ length: n }, (_, i): Offer => {
    const id = `offer-${i}`;
    const roll = random();
    const priority = int(0, 5);
    const placements = random() < 0.3 ? (["cart", "drawer", "checkout"] as const).slice() : undefined;
    const conditions = random() < 0.3 ? { all: [{ fact: "subtotal" as const, op: "gte" as const, value: int(0, 20000) }] } : undefined;
    const endsAt = random() < 0.1 ? "2030-01-01T00:00:00Z" : undefined;
    const discount = random() < 0.5 ? { kind: "percent" as const, value: int(5, 30) } : undefined;
    const trigger = () =>
      pick([
        () => ({ products: some(catalog, int(1, 3)).map((p) => p.productId) }),
        () => ({ collections: [pick(collections)] }),
        () => ({ tags: [pick(tags)] }),
        () => ({ variants: some(variantPool, 2) }),
      ])();
    const common = { id, priority, ...(placements && { placements: [...placements] }), ...(conditions && { conditions }), ...(endsAt && { endsAt }) };
    if (roll < 0.5) return { ...common, kind: "cross_sell", trigger: trigger(), variants: some(variantPool, int(3, 5)), ...(discount && { discount }) };
    if (roll < 0.7) return { ...common, kind: "upsell", trigger: { variants: some(variantPool, 2) }, variants: some(variantPool, 2), ...(discount && { discount }) };
    if (roll < 0.85)
      return { ...common, kind: "bundle", components: some(catalog, 3).map((p) => ({ variantId: p.variants[0] })), discount: { kind: "percent", value: 15 } };
    return {
      ...common,
      kind: "quantity_break",
      trigger: trigger(),
      tiers: [
        { quantity: 2, discount: { kind: "percent", value: 10 } },
        { quantity: 3, discount: { kind: "percent", value: 15 } },
      ],
    };
  });
}

function makeRuleset(offerCount: number): Ruleset {
  const offers = makeOffers(offerCount);
  const referenced = new Set(
    offers.flatMap((o) => (o.kind == "bundle" ? o.components.map((c) => c.variantId) : o.kind == "quantity_break" ? [] : o.variants)),
  );
  const products: Record<string, ProductSnapshot> = {};
  for (const p of catalog)
    for (const v of p.variants)
      if (referenced.has(v)) {
        products[p.productId] ??= { title: `Product ${p.productId}`, handle: `product-${p.productId}`, image: `https://cdn.shopify.com/p/${p.productId}.jpg`, variants: {} };
        products[p.productId].variants[v] = { price: p.price, title: v.endsWith("1") ? "Large" : "Small" };
      }
  return {
    schemaVersion: 1,
    revision: 1,
    shop: { currency: "USD", freeShipping: { amount: 7500, amounts: { EUR: 7000 } }, rewardTiers: [{ id: "gift", label: "Free gift", amount: 15000 }] },
    offers,
    products,
  };
}

function makeCart(lines: number, offers: Offer[]): Cart {
  return {
    currency: "USD",
    lines: some(catalog, lines * 2)
      .slice(0, lines)
      .map((p, i): CartLine => ({
        id: `line-${i}`,
        productId: p.productId,
        variantId: p.variants[0],
        quantity: int(1, 3),
        unitPrice: p.price,
        tags: p.tags,
        collectionIds: p.collectionIds,
        vendor: p.vendor,
        productType: p.productType,
        ...(random() < 0.2 && offers.length ? { offerId: pick(offers).id } : {}),
      })),
  };
}

const context: Context = { placement: "cart", now: Date.parse("2025-06-01T12:00:00Z"), customer: { loggedIn: true, orderCount: 2 }, country: "US", dismissed: ["offer-3"] };

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const figure = (name: string, value: number, unit: string) => console.log(`figure ${name} ${value} ${unit}`);
const ROUNDS = 5;
const SAMPLES = 2000;
const ms = (x: number) => Number(x.toFixed(4));

for (const offerCount of [10, 100, 500]) {
  // Parsed from JSON text, as the storefront receives it.
  const text = JSON.stringify(makeRuleset(offerCount));
  const parsed = parseRuleset(text);
  if (!parsed.ok) throw new Error("bench ruleset invalid: " + JSON.stringify(parsed.errors.slice(0, 3)));
  const rs = parsed.ruleset;
  for (const lineCount of [1, 20, 200]) {
    const carts = Array.from({ length: 64 }, () => makeCart(lineCount, rs.offers));
    for (let i = 0; i < 1000; i++) evaluate(rs, carts[i % carts.length], context); // warm up the JIT
    // The machine is shared (2 cores; other builds and test runs come and go), and a
    // round another process preempted measures that process, not the engine: report the
    // round with the lowest p99 of ROUNDS (each round's figures are its own samples).
    let best = { p50: Infinity, p99: Infinity };
    const roundP99s: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const samples: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const cart = carts[i % carts.length];
        const t0 = performance.now();
        const e = evaluate(rs, cart, context);
        samples.push(performance.now() - t0);
        if (e.diagnostics.length) throw new Error("bench cart rejected: " + JSON.stringify(e.diagnostics));
      }
      samples.sort((a, b) => a - b);
      const p99 = percentile(samples, 99);
      roundP99s.push(p99);
      if (p99 < best.p99) best = { p50: percentile(samples, 50), p99 };
    }
    figure(`engine.p50.${lineCount}x${offerCount}`, ms(best.p50), "ms");
    figure(`engine.p99.${lineCount}x${offerCount}`, ms(best.p99), "ms");
    // The median round too, so a reader sees how much the best round flatters.
    figure(`engine.p99.${lineCount}x${offerCount}.median_round`, ms(percentile(roundP99s.sort((a, b) => a - b), 50)), "ms");
  }
  // A page view: JSON text → parse + validate + index → one evaluation of a 20-line cart.
  const cart = makeCart(20, rs.offers);
  const cold: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t0 = performance.now();
    const fresh = parseRuleset(text);
    if (fresh.ok) evaluate(fresh.ruleset, cart, context);
    cold.push(performance.now() - t0);
  }
  cold.sort((a, b) => a - b);
  figure(`engine.cold.20x${offerCount}`, ms(percentile(cold, 50)), "ms");
  figure(`engine.ruleset.${offerCount}`, Buffer.byteLength(text), "bytes");
}

const bundle = buildSync({
  entryPoints: [fileURLToPath(new URL("../app/engine/index.ts", import.meta.url))],
  bundle: true,
  minify: true,
  format: "esm",
  write: false,
});
const code = bundle.outputFiles[0].contents;
figure("engine.min", code.length, "bytes");
figure("engine.gzip", gzipSync(code, { level: 9 }).length, "bytes");
