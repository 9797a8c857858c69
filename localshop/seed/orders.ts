/**
 * Order histories for the recommender, pure and seeded (same seed and end time, same
 * orders): the demo shop's, which the local shop serves and the demo mines, and a second
 * one with a different structure that the recommender was never tuned on (the quality
 * bench reports both, so a recommender fitted to the demo's shape shows it).
 *
 * Demo history (`generateDemoHistory`), over the catalog of ./catalog.ts:
 * - Shopping missions: a phone with its case and screen film (and sometimes a charger or
 *   cable); the grill with its brush and cover, tongs and rub; a burger with fries and a
 *   drink; shampoo with conditioner and curl spray; the camera with card, batteries,
 *   reader and bag; yoga mat and block; coffee with its dripper and filters; lone buys of
 *   headphones, chargers and bands.
 * - Noise: a third of orders add an unrelated product, and some orders are one random
 *   product (what real baskets look like).
 * - Seasonality: grill missions fade over the 60 days (autumn), coffee rises; food peaks
 *   on Fridays and Saturdays; volume grows toward the end, with a Black Friday spike.
 * - Cartlift's own offers: some films and drinks were added through an offer (tagged);
 *   2.5 % of orders are cancelled and 2 % fully refunded.
 *
 * Second history (`generateSecondHistory`): a 300-product shop in 12 departments with
 * Zipf-distributed popularity; complements form a random graph ACROSS departments (no
 * hand-made missions), baskets grow by following complement edges or by adding popular
 * items, a fifth of the complement graph is rewired halfway through (tastes change), and
 * there is no weekly or seasonal shape.
 */
import type { LocalShopData, OrderLineItemRecord, OrderRecord } from "../state";
import { PRODUCT_SEEDS } from "./catalog";

export interface HistoryLine {
  /** Product key: the catalog handle (demo) or a synthetic id (second). */
  product: string;
  /** Index into the product's variants. */
  variantIndex: number;
  quantity: number;
  /** Added through a Cartlift offer (carries `_cartlift_offer`). */
  fromOffer: boolean;
}

export interface HistoryOrder {
  createdAtMs: number;
  lines: HistoryLine[];
  cancelled: boolean;
  fullyRefunded: boolean;
}

export interface HistoryOptions {
  seed?: number;
  /** The history ends here (epoch ms). */
  endMs: number;
  days?: number;
  /** Average orders per day (before weekly and seasonal shape). */
  ordersPerDay?: number;
}

const DAY_MS = 86_400_000;

/** mulberry32: small, fast, deterministic. */
export function seededRandom(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Poisson draw (Knuth for small means, normal approximation above 30). */
function poisson(random: () => number, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) {
    const u = Math.max(random(), 1e-12);
    const v = random();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
  }
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

function weightedPick<T>(random: () => number, items: readonly T[], weight: (t: T) => number): T {
  let total = 0;
  for (const t of items) total += weight(t);
  let r = random() * total;
  for (const t of items) {
    r -= weight(t);
    if (r < 0) return t;
  }
  return items[items.length - 1]!;
}

// ---------------------------------------------------------------------------------------
// Demo history
// ---------------------------------------------------------------------------------------

type Add = { p: number; one: string[]; offer?: number; qty?: [number, number] };

interface Mission {
  name: string;
  weight: number;
  /** Multiplier by the fraction of the history elapsed (0 = first day, 1 = last). */
  season?: (t: number) => number;
  food?: boolean;
  /** One of these starts the basket. */
  anchor: string[];
  adds: Add[];
}

const MISSIONS: Mission[] = [
  {
    name: "phone",
    weight: 14,
    anchor: ["aurora-phone", "aurora-phone", "aurora-phone", "aurora-phone-mini"],
    adds: [
      { p: 0.55, one: ["aurora-phone-case", "aurora-phone-case", "leather-folio-case"] },
      { p: 0.45, one: ["aurora-screen-film", "aurora-screen-film", "aurora-screen-film", "privacy-screen-film"], offer: 0.2 },
      { p: 0.25, one: ["usb-c-charger-20w", "wireless-charging-pad"] },
      { p: 0.12, one: ["usb-c-cable-2m"] },
      { p: 0.08, one: ["wired-earbuds"] },
    ],
  },
  {
    name: "phone-accessories",
    weight: 6,
    anchor: ["aurora-phone-case", "leather-folio-case"],
    adds: [
      { p: 0.5, one: ["aurora-screen-film", "privacy-screen-film"] },
      { p: 0.15, one: ["usb-c-cable-2m"] },
    ],
  },
  {
    name: "power",
    weight: 5,
    anchor: ["usb-c-charger-20w", "power-bank-10000", "wireless-charging-pad", "aurora-wireless-headphones"],
    adds: [
      { p: 0.45, one: ["usb-c-cable-2m"] },
      { p: 0.1, one: ["wired-earbuds"] },
    ],
  },
  {
    name: "grill",
    weight: 8,
    season: (t) => 1.6 - 1.2 * t,
    anchor: ["ember-gas-grill"],
    adds: [
      { p: 0.6, one: ["grill-brush"] },
      { p: 0.5, one: ["grill-cover"] },
      { p: 0.3, one: ["bbq-tongs"] },
      { p: 0.2, one: ["smoked-paprika-rub"] },
    ],
  },
  {
    name: "grill-tools",
    weight: 5,
    season: (t) => 1.4 - 0.8 * t,
    anchor: ["grill-brush", "bbq-tongs", "smoked-paprika-rub"],
    adds: [
      { p: 0.4, one: ["bbq-tongs", "smoked-paprika-rub"] },
      { p: 0.15, one: ["grill-cover"] },
    ],
  },
  {
    name: "burger",
    weight: 14,
    food: true,
    anchor: ["classic-burger", "classic-burger", "classic-burger", "veggie-burger"],
    adds: [
      { p: 0.7, one: ["crispy-fries"], qty: [1, 2] },
      { p: 0.6, one: ["fountain-drink"], offer: 0.15, qty: [1, 3] },
    ],
  },
  {
    name: "snack",
    weight: 4,
    food: true,
    anchor: ["crispy-fries", "fountain-drink"],
    adds: [{ p: 0.5, one: ["crispy-fries", "fountain-drink"] }],
  },
  {
    name: "hair",
    weight: 9,
    anchor: ["hydrating-shampoo", "hydrating-shampoo", "silk-conditioner"],
    adds: [
      { p: 0.6, one: ["silk-conditioner", "hydrating-shampoo"] },
      { p: 0.35, one: ["curl-defining-spray"] },
      { p: 0.15, one: ["wide-tooth-comb", "microfiber-hair-towel"] },
    ],
  },
  {
    name: "camera",
    weight: 4,
    anchor: ["lumen-x100-camera"],
    adds: [
      { p: 0.6, one: ["sd-card-128gb"] },
      { p: 0.45, one: ["camera-battery-2-pack"] },
      { p: 0.3, one: ["sd-card-reader"] },
      { p: 0.25, one: ["camera-bag", "travel-tripod"] },
    ],
  },
  {
    name: "camera-gear",
    weight: 4,
    anchor: ["sd-card-128gb", "travel-tripod", "camera-bag", "camera-battery-2-pack"],
    adds: [{ p: 0.35, one: ["sd-card-reader", "sd-card-128gb"] }],
  },
  {
    name: "yoga",
    weight: 6,
    anchor: ["yoga-mat", "yoga-mat", "resistance-bands"],
    adds: [
      { p: 0.5, one: ["cork-yoga-block"] },
      { p: 0.3, one: ["insulated-water-bottle"] },
    ],
  },
  {
    name: "coffee",
    weight: 9,
    season: (t) => 0.7 + 0.6 * t,
    anchor: ["house-blend-coffee", "house-blend-coffee", "espresso-roast", "pour-over-dripper"],
    adds: [
      { p: 0.35, one: ["paper-filters"] },
      { p: 0.25, one: ["house-blend-coffee", "espresso-roast"] },
      { p: 0.1, one: ["pour-over-dripper"] },
    ],
  },
];

/** Handles sold in the demo history (active products only). */
export const DEMO_HISTORY_PRODUCTS = PRODUCT_SEEDS.filter((p) => (p.status ?? "ACTIVE") === "ACTIVE").map((p) => p.handle);
const variantCounts = new Map(PRODUCT_SEEDS.map((p) => [p.handle, p.variants.length]));

/** Black Friday (the day after the fourth Thursday of November), as a UTC day start. */
function blackFriday(year: number): number {
  const nov1 = Date.UTC(year, 10, 1);
  const firstThursday = 1 + ((4 - new Date(nov1).getUTCDay() + 7) % 7);
  return Date.UTC(year, 10, firstThursday + 21 + 1);
}

export function generateDemoHistory(options: HistoryOptions): HistoryOrder[] {
  const random = seededRandom(options.seed ?? 20261);
  const days = options.days ?? 60;
  const perDay = options.ordersPerDay ?? 25;
  const endDay = Math.floor(options.endMs / DAY_MS) * DAY_MS;
  const orders: HistoryOrder[] = [];
  for (let d = days - 1; d >= 0; d--) {
    const dayStart = endDay - d * DAY_MS;
    const t = (days - 1 - d) / Math.max(1, days - 1);
    const weekday = new Date(dayStart).getUTCDay(); // 0 Sunday
    const weekFactor = [1.1, 0.9, 0.9, 0.9, 1, 1.3, 1.4][weekday]!;
    const year = new Date(dayStart).getUTCFullYear();
    const spike = dayStart === blackFriday(year) ? 2.5 : 1;
    const count = poisson(random, perDay * weekFactor * (0.8 + 0.4 * t) * spike);
    const foodBoost = weekday === 5 || weekday === 6 ? 1.8 : 1;
    for (let n = 0; n < count; n++) {
      const createdAtMs = dayStart + Math.floor(random() * DAY_MS);
      if (createdAtMs > options.endMs) continue;
      orders.push(demoOrder(random, createdAtMs, t, foodBoost));
    }
  }
  return orders.sort((a, b) => a.createdAtMs - b.createdAtMs);
}

function demoOrder(random: () => number, createdAtMs: number, t: number, foodBoost: number): HistoryOrder {
  const lines: HistoryLine[] = [];
  const add = (product: string, fromOffer = false, qty: [number, number] = [1, 1]) => {
    if (lines.some((l) => l.product === product)) return;
    lines.push({
      product,
      variantIndex: Math.floor(random() * (variantCounts.get(product) ?? 1)),
      quantity: qty[0] + Math.floor(random() * (qty[1] - qty[0] + 1)),
      fromOffer,
    });
  };
  const pickOne = (xs: string[]) => xs[Math.floor(random() * xs.length)]!;
  if (random() < 0.12) {
    add(pickOne(DEMO_HISTORY_PRODUCTS));
  } else {
    const mission = weightedPick(random, MISSIONS, (m) => m.weight * (m.season ? m.season(t) : 1) * (m.food ? foodBoost : 1));
    add(pickOne(mission.anchor));
    for (const a of mission.adds) {
      if (random() < a.p) add(pickOne(a.one), a.offer !== undefined && random() < a.offer, a.qty);
    }
    if (random() < 0.3) add(pickOne(DEMO_HISTORY_PRODUCTS));
  }
  const status = random();
  return { createdAtMs, lines, cancelled: status < 0.025, fullyRefunded: status >= 0.025 && status < 0.045 };
}

// ---------------------------------------------------------------------------------------
// Second history: a different shop with a different structure
// ---------------------------------------------------------------------------------------

export const SECOND_HISTORY_PRODUCTS = 300;
const DEPARTMENTS = 12;

export const secondProductId = (i: number) => `p${String(i).padStart(4, "0")}`;

interface ComplementGraph {
  edges: { to: number; strength: number }[][];
}

function complementGraph(random: () => number): ComplementGraph {
  const edges: { to: number; strength: number }[][] = [];
  for (let i = 0; i < SECOND_HISTORY_PRODUCTS; i++) {
    const list: { to: number; strength: number }[] = [];
    const k = Math.floor(random() * 4); // 0–3 complements
    for (let e = 0; e < k; e++) {
      let to = Math.floor(random() * SECOND_HISTORY_PRODUCTS);
      // complements live in another department
      if (to % DEPARTMENTS === i % DEPARTMENTS) to = (to + 1) % SECOND_HISTORY_PRODUCTS;
      if (to !== i && !list.some((x) => x.to === to)) list.push({ to, strength: 0.1 + 0.5 * random() });
    }
    edges.push(list);
  }
  return { edges };
}

export function generateSecondHistory(options: HistoryOptions): HistoryOrder[] {
  const random = seededRandom(options.seed ?? 777);
  const days = options.days ?? 60;
  const perDay = options.ordersPerDay ?? 40;
  const startMs = options.endMs - days * DAY_MS;
  // Zipf(1.1) popularity over a shuffled rank, so popularity and id are unrelated.
  const rank = Array.from({ length: SECOND_HISTORY_PRODUCTS }, (_, i) => i);
  for (let i = rank.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [rank[i], rank[j]] = [rank[j]!, rank[i]!];
  }
  const popularity = rank.map((r) => 1 / Math.pow(r + 1, 1.1));
  const cumulative: number[] = [];
  let acc = 0;
  for (const w of popularity) cumulative.push((acc += w));
  const popular = () => {
    const r = random() * acc;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const before = complementGraph(random);
  // Halfway, a fifth of the products get new complements.
  const after: ComplementGraph = { edges: before.edges.slice() };
  const rewired = complementGraph(random);
  for (let i = 0; i < SECOND_HISTORY_PRODUCTS; i++) if (random() < 0.2) after.edges[i] = rewired.edges[i]!;

  const total = poisson(random, perDay * days);
  const orders: HistoryOrder[] = [];
  for (let n = 0; n < total; n++) {
    const createdAtMs = startMs + Math.floor(random() * days * DAY_MS);
    const graph = createdAtMs < startMs + (days / 2) * DAY_MS ? before : after;
    const basket: number[] = [popular()];
    // Follow complement edges from every item in the basket, once each.
    for (let k = 0; k < basket.length && basket.length < 8; k++) {
      for (const e of graph.edges[basket[k]!]!) {
        if (!basket.includes(e.to) && random() < e.strength) basket.push(e.to);
      }
    }
    // Plus popular items: a geometric number with mean 0.5.
    while (basket.length < 8 && random() < 1 / 3) {
      const p = popular();
      if (!basket.includes(p)) basket.push(p);
    }
    orders.push({
      createdAtMs,
      lines: basket.map((i) => ({ product: secondProductId(i), variantIndex: 0, quantity: 1 + (random() < 0.1 ? 1 : 0), fromOffer: false })),
      cancelled: random() < 0.01,
      fullyRefunded: false,
    });
  }
  return orders.sort((a, b) => a.createdAtMs - b.createdAtMs);
}

// ---------------------------------------------------------------------------------------
// The demo history as the local shop's orders
// ---------------------------------------------------------------------------------------

/** "29.00" → 2900, exactly (the catalog's prices are USD with two decimals). */
function centsOf(price: string): number {
  const [whole, fraction = ""] = price.split(".");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0").slice(0, 2));
}

/** Seeded orders use ids from here (below the shop's own order sequence, 80001). */
export const SEEDED_ORDER_ID_START = 60001;
const SEEDED_ORDER_ID_END = 79999;
const SEEDED_LINE_ID_START = 500001;

export function isSeededOrder(order: Pick<OrderRecord, "id">): boolean {
  const n = Number(order.id.split("/").pop());
  return n >= SEEDED_ORDER_ID_START && n <= SEEDED_ORDER_ID_END;
}

/**
 * The demo history ending at `endMs` as order records of the seeded catalog `data`
 * (prices from the variants; lines added through an offer carry `_cartlift_offer`;
 * cancelled and fully refunded orders say so).
 */
export function demoOrderRecords(data: Pick<LocalShopData, "products" | "variants" | "shop">, endMs: number): OrderRecord[] {
  const history = generateDemoHistory({ endMs }).slice(0, SEEDED_ORDER_ID_END - SEEDED_ORDER_ID_START + 1);
  const byHandle = new Map(data.products.map((p) => [p.handle, p]));
  const variants = new Map(data.variants.map((v) => [v.id, v]));
  const currency = data.shop.currencyCode;
  let lineN = SEEDED_LINE_ID_START;
  return history.map((h, i) => {
    let total = 0;
    const lineItems: OrderLineItemRecord[] = h.lines.flatMap((l) => {
      const product = byHandle.get(l.product);
      const variant = product ? variants.get(product.variantIds[l.variantIndex] ?? product.variantIds[0]!) : undefined;
      if (!product || !variant) return [];
      total += centsOf(variant.price) * l.quantity;
      return [
        {
          id: `gid://shopify/LineItem/${lineN++}`,
          title: product.title,
          variantTitle: variant.title === "Default Title" ? null : variant.title,
          sku: variant.sku || null,
          quantity: l.quantity,
          variantId: variant.id,
          productId: product.id,
          originalUnitPrice: variant.price,
          totalDiscount: "0.00",
          customAttributes: l.fromOffer ? [{ key: "_cartlift_offer", value: "demo-history" }] : [],
        },
      ];
    });
    const amount = `${Math.floor(total / 100)}.${String(total % 100).padStart(2, "0")}`;
    const createdAt = new Date(h.createdAtMs).toISOString().replace(/\.\d{3}Z$/, "Z");
    return {
      id: `gid://shopify/Order/${SEEDED_ORDER_ID_START + i}`,
      name: `#${10001 + i}`,
      createdAt,
      currencyCode: currency,
      presentmentCurrencyCode: currency,
      subtotalPrice: amount,
      totalDiscounts: "0.00",
      totalPrice: amount,
      email: null,
      note: null,
      tags: [],
      customAttributes: [],
      lineItems,
      cancelledAt: h.cancelled ? new Date(Math.min(endMs, h.createdAtMs + 3_600_000)).toISOString().replace(/\.\d{3}Z$/, "Z") : null,
      displayFinancialStatus: h.fullyRefunded ? "REFUNDED" : "PAID",
    };
  });
}

/**
 * Puts the demo history (ending today) into the shop's orders, replacing an older seeded
 * history and keeping every order placed since. Returns whether anything changed: the
 * history is regenerated once per day, so the last 60 days stay the last 60 days.
 */
export function applyDemoOrderHistory(data: LocalShopData, nowMs: number): boolean {
  const day = Math.floor(nowMs / DAY_MS);
  if (data.orderHistoryDay === day) return false;
  if (data.products.length === 0) return false;
  data.orders = [...demoOrderRecords(data, nowMs), ...data.orders.filter((o) => !isSeededOrder(o))];
  data.orderHistoryDay = day;
  return true;
}
