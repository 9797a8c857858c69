// Fixture builders for engine tests: a small catalog drawn from the research's examples
// (phone and accessories, grill and brush, burger bundle, shampoo and conditioner) and
// builders that fill every required field so each test states only what it is about.
import type { Cart, CartLine, Context, Offer, ProductSnapshot, Ruleset, ShopSettings } from "../../../app/engine";

/** 2025-06-01T12:00:00Z: "now" in every context unless a test says otherwise. */
export const NOW = Date.parse("2025-06-01T12:00:00Z");

interface CatalogEntry {
  productId: string;
  title: string;
  tags?: string[];
  collectionIds?: string[];
  vendor?: string;
  productType?: string;
  variants: Record<string, { price: number; title?: string; available?: boolean }>;
}

/** Shop-currency (USD) prices in cents. */
export const CATALOG: CatalogEntry[] = [
  { productId: "phone", title: "Phone", tags: ["phone"], collectionIds: ["phones"], vendor: "Acme", productType: "Phone",
    variants: { "phone-64": { price: 69900, title: "64 GB" }, "phone-128": { price: 79900, title: "128 GB" }, "phone-256": { price: 89900, title: "256 GB" } } },
  { productId: "case", title: "Phone case", tags: ["accessory"], collectionIds: ["accessories"], variants: { "case-black": { price: 2900, title: "Black" }, "case-red": { price: 2900, title: "Red" } } },
  { productId: "film", title: "Screen film", tags: ["accessory"], collectionIds: ["accessories"], variants: { "film-1": { price: 1500 } } },
  { productId: "charger", title: "Charger", tags: ["accessory"], collectionIds: ["accessories"], variants: { "charger-1": { price: 2500 } } },
  { productId: "earbuds", title: "Earbuds", tags: ["accessory"], variants: { "earbuds-1": { price: 4900 } } },
  { productId: "grill", title: "Grill", productType: "Grill", vendor: "Flame", variants: { "grill-1": { price: 23500 } } },
  { productId: "brush", title: "Grill brush", variants: { "brush-1": { price: 700 } } },
  { productId: "oven", title: "Pizza oven", variants: { "oven-1": { price: 20000 } } },
  { productId: "mug", title: "Mug", variants: { "mug-1": { price: 5000 } } },
  { productId: "burger", title: "Burger", variants: { "burger-1": { price: 800 } } },
  { productId: "fries", title: "Fries", variants: { "fries-s": { price: 300, title: "Small" }, "fries-l": { price: 400, title: "Large" } } },
  { productId: "drink", title: "Drink", variants: { "drink-1": { price: 200 } } },
  { productId: "shampoo", title: "Shampoo", tags: ["hair"], variants: { "shampoo-1": { price: 1200 } } },
  { productId: "conditioner", title: "Conditioner", tags: ["hair"], variants: { "conditioner-1": { price: 1400 } } },
  { productId: "socks", title: "Socks", collectionIds: ["apparel"], variants: { "socks-1": { price: 1000 }, "socks-2": { price: 1000 } } },
  { productId: "tote", title: "Tote bag", variants: { "tote-1": { price: 1500 } } },
  { productId: "sold-out", title: "Sold-out lamp", variants: { "lamp-1": { price: 1000, available: false } } },
];

const byVariant = new Map(CATALOG.flatMap((p) => Object.keys(p.variants).map((v) => [v, p] as const)));

export function products(): Record<string, ProductSnapshot> {
  return Object.fromEntries(
    CATALOG.map((p) => [
      p.productId,
      { title: p.title, handle: p.productId, image: `https://cdn.test/${p.productId}.jpg`, variants: structuredClone(p.variants) },
    ]),
  );
}

export function makeRuleset(over: Partial<Omit<Ruleset, "shop">> & { shop?: Partial<ShopSettings> } = {}): Ruleset {
  return {
    schemaVersion: 1,
    revision: 1,
    products: products(),
    offers: [],
    ...over,
    shop: { currency: "USD", ...over.shop },
  };
}

let offerSeq = 0;
type OfferOf<K extends Offer["kind"]> = Extract<Offer, { kind: K }>;
/** An offer of `kind` with a fresh id; `fields` supplies the rest. */
export function makeOffer<K extends Offer["kind"]>(kind: K, fields: Omit<OfferOf<K>, "kind" | "id"> & { id?: string }): OfferOf<K> {
  return { id: `offer-${++offerSeq}`, kind, ...fields } as OfferOf<K>;
}

let lineSeq = 0;
/** A cart line for a catalog variant at its USD price (override `unitPrice` for other currencies). */
export function makeLine(variantId: string, over: Partial<CartLine> = {}): CartLine {
  const p = byVariant.get(variantId);
  if (!p) throw new Error(`no catalog variant ${variantId}`);
  const line: CartLine = {
    id: `line-${++lineSeq}`,
    productId: p.productId,
    variantId,
    quantity: 1,
    unitPrice: p.variants[variantId].price,
  };
  if (p.tags) line.tags = p.tags;
  if (p.collectionIds) line.collectionIds = p.collectionIds;
  if (p.vendor) line.vendor = p.vendor;
  if (p.productType) line.productType = p.productType;
  return { ...line, ...over };
}

export function makeCart(lines: (CartLine | string)[] = [], currency = "USD"): Cart {
  return { currency, lines: lines.map((l) => (typeof l == "string" ? makeLine(l) : l)) };
}

export function makeContext(over: Partial<Context> = {}): Context {
  return { placement: "cart", now: NOW, ...over };
}

/** The product page's product facts for a catalog variant. */
export function viewing(variantId: string, unitPrice?: number): Context["product"] {
  const { id: _id, quantity: _q, ...facts } = makeLine(variantId);
  return unitPrice === undefined ? facts : { ...facts, unitPrice };
}
