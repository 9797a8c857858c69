// The product block's first view (snippets/cartlift-product-view.liquid) decides in Liquid
// what the engine decides in the script. Differential test: random rulesets (placements,
// priorities, schedules, conditions, anchoring, limits, triggers), carts and declines,
// rendered by the local storefront's real Liquid, against `evaluate` with the context the
// script builds: the same cards, in the same order, of the same kind, with the same rows.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDeclined } from "../../../app/engine/cart";
import { evaluate } from "../../../app/engine/evaluate";
import type { Condition, Offer, Ruleset } from "../../../app/engine/types";
import { handleAdminGraphql } from "../../../localshop/admin-api";
import { handleStorefront } from "../../../localshop/storefront";
import { buildDemoRuleset, demoIds, publishStorefrontRuleset } from "../../../localshop/storefront/demo-ruleset";
import { createLocalShop, type LocalShopState } from "../../../localshop/state";
import { toEngineCart } from "../../../storefront/cart";
import { fromCents } from "../../../storefront/money";
import { viewedFirst } from "../../../storefront/product-order";

let server: http.Server;
let url: string;
let state: LocalShopState;
const ids = demoIds();

beforeAll(async () => {
  state = createLocalShop();
  server = http.createServer(async (req, res) => {
    if (req.url!.startsWith("/admin/api/")) return void (await handleAdminGraphql(req, res, state));
    if (!(await handleStorefront(req, res, { state, appUrl: "http://app.test" }))) res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** A visitor with a cookie jar (its own cart). */
function visitor() {
  const cookies: Record<string, string> = {};
  const call = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(url + path, { ...init, headers: { cookie: Object.entries(cookies).map(([k, v]) => `${k}=${v}`).join("; "), ...(init.headers as object) } });
    for (const c of res.headers.getSetCookie()) {
      const [k, v] = c.split(";")[0].split("=");
      cookies[k] = v;
    }
    return res;
  };
  const post = (path: string, body: unknown) => call(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { call, post };
}

/** A small seeded generator (mulberry32): the same scenarios on every run. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  return { next, pick, chance: (p: number) => next() < p };
}

const CONDITIONS: Condition[] = [
  { fact: "subtotal", op: "gte", value: 5000 },
  { fact: "subtotal", op: "lte", value: 80000 },
  { fact: "itemCount", op: "lte", value: 1 },
  { fact: "loggedIn", op: "eq", value: false },
  { fact: "orderCount", op: "eq", value: 0 },
  { all: [{ fact: "country", op: "in", value: ["US", "CA"] }, { fact: "itemCount", op: "gte", value: 0 }] },
  { all: [{ any: [{ fact: "orderCount", op: "eq", value: 0 }, { fact: "loggedIn", op: "eq", value: false }] }] },
  { any: [{ fact: "customerTags", op: "in", value: ["vip"] }, { fact: "country", op: "notIn", value: ["FR"] }] },
];
const PAGES = ["aurora-phone", "classic-burger", "crispy-fries", "fountain-drink", "house-blend-coffee", "ember-gas-grill", "aurora-phone-case", "usb-c-charger-20w"];
const CART = [ids.phone64, ids.phone128, ids.burger, ids.fries, ids.drink, ids.coffeeVariant, ids.grillVariant, ids.caseBlack, ids.charger, ids.film];

function scenario(seed: number) {
  const r = random(seed);
  const ruleset: Ruleset = buildDemoRuleset(state.data, seed);
  const day = 86_400_000;
  ruleset.shop.maxOffers = r.pick([1, 2, 3, 3]);
  if (r.chance(0.3)) ruleset.shop.anchorShare = r.pick([0.05, 0.5, 1]);
  for (const offer of ruleset.offers as (Offer & Record<string, any>)[]) {
    if (r.chance(0.6)) offer.placements = [...new Set([...(offer.placements ?? []), "product" as const])];
    else if (r.chance(0.3)) delete offer.placements;
    offer.priority = r.pick([0, 5, 10, 20, -3]);
    const schedule = r.next();
    if (schedule < 0.15) offer.startsAt = new Date(Date.now() + day).toISOString();
    else if (schedule < 0.3) offer.endsAt = new Date(Date.now() - day).toISOString();
    else if (schedule < 0.5) Object.assign(offer, { startsAt: new Date(Date.now() - day).toISOString(), endsAt: new Date(Date.now() + 3 * day).toISOString() });
    if (r.chance(0.3)) offer.conditions = r.pick(CONDITIONS);
    if (r.chance(0.2)) offer.anchorShare = r.pick([0.01, 0.2, 1]);
    if (offer.kind == "cross_sell" && r.chance(0.25)) offer.discount = r.pick([{ kind: "amount", value: 500 }, { kind: "percent", value: 12.5 }]);
    if (offer.kind == "cross_sell" && r.chance(0.2)) delete offer.trigger;
    if (offer.kind != "bundle" && offer.trigger && r.chance(0.2)) offer.trigger = r.pick([{ vendors: ["Aurora"] }, { productTypes: ["Coffee"] }, { variants: [ids.phone64, ids.burger] }]);
    if (offer.kind == "quantity_break" && r.chance(0.3)) offer.tiers = [{ quantity: 2, discount: { kind: "amount", value: 150 } }, ...offer.tiers.slice(1)];
  }
  const lines = CART.filter(() => r.chance(0.2)).map((v) => [v, r.pick([1, 1, 2, 3])] as const);
  const declined = r.chance(0.2) ? r.pick(ruleset.offers).id : undefined;
  return { ruleset, lines, declined, page: r.pick(PAGES) };
}

interface Card {
  id: string;
  select: boolean;
  rows: number;
}

/** The first view's cards, read from the page. */
function cardsOf(block: string): Card[] {
  return [...block.matchAll(/<section class="cartlift-card( cartlift-card--select)?"[^>]*data-offer="([^"]+)">([\s\S]*?)<\/section>/g)].map((m) => ({
    id: m[2],
    select: !!m[1],
    rows: (m[3].match(/<li class="cartlift-row">/g) || []).length,
  }));
}

describe("the product block's first view agrees with the engine", () => {
  it("on 150 random rulesets, carts and product pages", async () => {
    let compared = 0;
    let withCards = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const s = scenario(seed);
      await publishStorefrontRuleset(url, s.ruleset);
      const v = visitor();
      for (const [variant, quantity] of s.lines) expect((await v.post("/cart/add.js", { id: Number(variant), quantity })).ok).toBe(true);
      if (s.declined) await v.post("/cart/update.js", { attributes: { _cartlift_declined: s.declined } });
      const html = await (await v.call(`/products/${s.page}`)).text();
      const start = html.indexOf('data-cartlift-mount="product"');
      expect(start, `seed ${seed}: the block is on the page`).toBeGreaterThan(0);
      const block = html.slice(start, html.indexOf("</div>\n", start));
      expect(block, `seed ${seed}: Liquid decided`).toContain("data-first-view");

      // The engine, with the context the script builds from the same page.
      const facts = JSON.parse(/<script type="application\/json" data-cartlift-product>([\s\S]*?)<\/script>/.exec(html)![1]);
      const config = JSON.parse(/<script type="application\/json" id="cartlift-config">([\s\S]*?)<\/script>/.exec(html)![1]);
      const cart = await (await v.call("/cart.js")).json();
      const variantId = facts.selected;
      const product = { productId: facts.productId, variantId, unitPrice: fromCents(facts.variants[variantId].price, "USD"), tags: facts.tags, collectionIds: facts.collectionIds, vendor: facts.vendor, productType: facts.productType };
      const ev = evaluate(s.ruleset, toEngineCart(cart), {
        placement: "product",
        now: Date.now(),
        product,
        customer: config.customer || undefined,
        country: config.country || undefined,
        dismissed: parseDeclined(cart.attributes?._cartlift_declined),
      });
      expect(ev.diagnostics).toEqual([]);
      const expected: Card[] = viewedFirst(ev.offers, facts.productId, variantId).map((o) => {
        if (o.kind == "quantity_break") return { id: o.id, select: false, rows: (s.ruleset.offers.find((x) => x.id == o.id) as { tiers: unknown[] }).tiers.length };
        const about = o.kind == "bundle" ? o.action.kind == "addLines" && o.action.lines.some((l) => l.variantId == variantId) : o.kind == "cross_sell" && !o.lineId;
        return { id: o.id, select: about, rows: o.items.length + (about ? 1 : 0) };
      });
      expect(cardsOf(block), `seed ${seed}: ${s.page} with ${JSON.stringify(s.lines)}${s.declined ? `, ${s.declined} declined` : ""}`).toEqual(expected);
      compared++;
      if (expected.length) withCards++;
    }
    expect(compared).toBe(150);
    // Not a test of empty pages: most scenarios show offers.
    expect(withCards).toBeGreaterThan(75);
  }, 240_000);

  it("says it cannot decide, and the block reserves room, for a condition tree deeper than two levels", async () => {
    const ruleset = buildDemoRuleset(state.data);
    const offer = ruleset.offers.find((o) => o.id == "grill-brush")!;
    offer.conditions = { all: [{ any: [{ all: [{ fact: "itemCount", op: "gte", value: 0 }] }] }] };
    await publishStorefrontRuleset(url, ruleset);
    const html = await (await visitor().call("/products/ember-gas-grill")).text();
    const start = html.indexOf('data-cartlift-mount="product"');
    const block = html.slice(start, html.indexOf(">", start));
    expect(block).not.toContain("data-first-view");
    expect(block).toMatch(/--cartlift-reserve: [1-9][\d.]*rem/);
  });
});
