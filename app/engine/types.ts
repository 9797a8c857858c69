// The engine's public contract: the published ruleset, the cart and context a surface
// passes in, and the evaluation it gets back. Everything here is plain serializable data.
//
// Invariants every surface can rely on:
// - Money is an integer number of minor units (cents; yen for JPY) of one ISO 4217
//   currency. Ruleset amounts are in the shop's currency; cart, context and evaluation
//   amounts are in the cart's currency.
// - Ids are Shopify's numeric ids as strings ("40123456789"), the form cart.js uses.
//   Surfaces holding GIDs convert with `shortId()` / `variantGid()`. Line ids are opaque.
// - A ruleset is treated as immutable once evaluated (indexes are cached per object).

/** ISO 4217 code, upper case: "USD", "EUR", "JPY". */
export type CurrencyCode = string;

/** Integer minor units of some currency (e.g. 1999 = $19.99, 1999 = ¥1,999). */
export type Minor = number;

/** Where a surface shows offers. */
export type Placement =
  | "product"
  | "cart"
  | "drawer"
  | "add_to_cart_popup"
  | "checkout"
  | "thank_you";

export type OfferKind = "cross_sell" | "upsell" | "bundle" | "quantity_break";

// ---------------------------------------------------------------------------
// Ruleset (published to a metafield, parsed on every storefront page view)
// ---------------------------------------------------------------------------

export interface Ruleset {
  schemaVersion: 1;
  /** Increases on every publish; surfaces may log it, the engine ignores it. */
  revision: number;
  shop: ShopSettings;
  /** Order is irrelevant: shown offers are sorted by priority, then id. */
  offers: Offer[];
  /** Snapshot of every product an offer references, keyed by product id. */
  products: Record<string, ProductSnapshot>;
}

export interface ShopSettings {
  currency: CurrencyCode;
  /** Offers shown per placement; default 3. */
  maxOffers?: number;
  /** An add-on costing more than this share of the cart is not shown; default 0.3. */
  anchorShare?: number;
  /** Counts the cart after every discount the engine gives (a reached tier's gift included:
   *  free, it counts nothing; a gift bought at full price counts like any item). */
  freeShipping?: Goal;
  /** Each counts the cart after the engine's offer discounts, without gift units (a gift
   *  never helps reach a tier). */
  rewardTiers?: RewardTier[];
}

/** A cart threshold. `amounts` holds explicit per-currency thresholds (cart minor
 *  units) that win over converting `amount` (shop minor units). */
export interface Goal {
  amount: Minor;
  amounts?: Record<CurrencyCode, Minor>;
}

export interface RewardTier extends Goal {
  id: string;
  /** What the shopper gets, in the merchant's words ("Free tote bag"). */
  label: string;
  /** Variant given free (one unit) once the tier is reached; omit for label-only tiers. */
  gift?: string;
}

/** Display fields (titles, handle, images) are the publisher's to get right: the engine
 *  passes them through without checking them. */
export interface ProductSnapshot {
  title: string;
  handle: string;
  image?: string;
  /** The product's `reviews.rating` (value) and `reviews.rating_count` metafields, as a
   *  review app filled them; absent when it has none (nothing is ever made up). */
  rating?: { value: number; count: number };
  /** Keyed by variant id. */
  variants: Record<string, VariantSnapshot>;
}

export interface VariantSnapshot {
  /** Omit for a product's only/default variant. */
  title?: string;
  /** Shop minor units. */
  price: Minor;
  /** Default true. */
  available?: boolean;
  image?: string;
}

/** A cart line (or the viewed product) matches when ANY listed field matches.
 *  An empty or absent trigger matches every line. Collections and tags that a surface
 *  cannot see (cart.js has neither) can be expanded to `products` by the publisher. */
export interface Trigger {
  products?: string[];
  variants?: string[];
  collections?: string[];
  tags?: string[];
  vendors?: string[];
  productTypes?: string[];
}

/** `percent` off the price (0 < value ≤ 100), or `amount` shop minor units off each
 *  unit (a bundle: each unit of each component in a complete set), never below 0. */
export interface OfferDiscount {
  kind: "percent" | "amount";
  value: number;
}

export type NumberFact = "subtotal" | "itemCount" | "orderCount";
export type ListFact = "customerTags" | "country";
export type Fact = NumberFact | ListFact | "loggedIn";

/** Serializable rule tree. `subtotal` values are shop minor units (converted to the cart's
 *  currency); a fact the context does not know (e.g. country) fails its condition. */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { fact: NumberFact; op: "gte" | "lte" | "eq"; value: number }
  | { fact: ListFact; op: "in" | "notIn"; value: string[] }
  | { fact: "loggedIn"; op: "eq"; value: boolean };

interface OfferBase {
  id: string;
  /** Merchant's headline; also the discount message at checkout. */
  title?: string;
  /** Higher shows first; default 0. */
  priority?: number;
  /** Default: every placement. */
  placements?: Placement[];
  conditions?: Condition;
  /** ISO 8601. Not shown before `startsAt` nor from `endsAt` on; its discount stops too. */
  startsAt?: string;
  endsAt?: string;
  /** Overrides `shop.anchorShare`. Anchoring applies to cross-sells and upsells by
   *  default; to bundles and quantity breaks only when set here. */
  anchorShare?: number;
}

/** Complementary products for a trigger. `variants` are the variants offered, in order.
 *
 *  `source: "fbt"` (frequently bought together): the products come from the shop's own
 *  orders, passed in by the surface as `Context.together` (each anchor product's mined
 *  list, best first), then the merchant's `picks`, then `Context.recommended` (Shopify's
 *  Product Recommendations), then nothing. `variants` then holds every variant the offer
 *  may offer from the ruleset (each mined product's variant, expanded at publish, and the
 *  picks): only those carry the offer's discount, so the discount plan stays exact.
 *  Shopify's recommendations are shown at their own price, never discounted. */
export interface CrossSellOffer extends OfferBase {
  kind: "cross_sell";
  trigger?: Trigger;
  variants: string[];
  discount?: OfferDiscount;
  source?: "fbt";
  /** fbt: the merchant's picks (variants, in order), offered after mined products. */
  picks?: string[];
  /** fbt: products never recommended (collections and tags expanded at publish). */
  exclude?: string[];
  /** fbt: "Bought together N times this month" shows from N ≥ proofMin; default 5. */
  proofMin?: number;
}

/** One product of an anchor's frequently-bought-together list (the product metafield). */
export interface TogetherPick {
  productId: string;
  /** 0..1, the recommender's score. */
  score: number;
  /** Orders with both products in the recommender's window (60 days). */
  orders: number;
  /** Of those, orders in the recent window (30 days): "this month". */
  recent: number;
  /** False for a back-off pick (the pair failed the significance test): ranked after
   *  every significant one. */
  significant?: boolean;
}

/** A product Shopify's Product Recommendations returned, as the surface read it
 *  (`/recommendations/products.json`): prices in CART minor units, the variant to add. */
export interface RecommendedProduct {
  productId: string;
  variantId: string;
  title: string;
  handle: string;
  image?: string;
  price: Minor;
  available: boolean;
}

/** Replace the first line matching `trigger` with one of `variants` (64 GB → 128 GB). */
export interface UpsellOffer extends OfferBase {
  kind: "upsell";
  trigger: Trigger;
  variants: string[];
  discount?: OfferDiscount;
}

/** A fixed set at a discount. A component counts any variant of its variant's product.
 *  2 to 4 components (different products): offered when part is in the cart, so at most
 *  3 are missing; on a component's product page, that product is "this item". */
export interface BundleOffer extends OfferBase {
  kind: "bundle";
  components: BundleComponent[];
  discount: OfferDiscount;
}

export interface BundleComponent {
  variantId: string;
  /** Default 1. */
  quantity?: number;
}

/** Tiers over the total quantity of lines matching `trigger` (all lines if absent). */
export interface QuantityBreakOffer extends OfferBase {
  kind: "quantity_break";
  trigger?: Trigger;
  /** Ascending by quantity. */
  tiers: QuantityTier[];
}

export interface QuantityTier {
  quantity: number;
  discount: OfferDiscount;
}

export type Offer = CrossSellOffer | UpsellOffer | BundleOffer | QuantityBreakOffer;

/** A validation error, located so the admin can show it next to the field. */
export interface RulesetError {
  /** E.g. "offers[2].discount.value"; "" for the root. */
  path: string;
  message: string;
}

export type ParseResult =
  | { ok: true; ruleset: Ruleset }
  | { ok: false; errors: RulesetError[] };

// ---------------------------------------------------------------------------
// Cart and context (built by each surface)
// ---------------------------------------------------------------------------

/** What triggers and conditions can see about a product. */
export interface ProductFacts {
  productId: string;
  variantId: string;
  /** Cart minor units, before any discount. */
  unitPrice: Minor;
  tags?: string[];
  collectionIds?: string[];
  vendor?: string;
  productType?: string;
}

export interface CartLine extends ProductFacts {
  id: string;
  quantity: number;
  /** The offer this line was added through (line property `OFFER_LINE_PROPERTY`).
   *  Identifies only: the engine re-derives whether it earns anything. A cross-sell's
   *  discount needs the line's product to be offered and the trigger met by another
   *  line; an upsell's needs the line's variant to be a target (the replaced line is
   *  gone, so the target variant is the proof). The whole line is discounted. */
  offerId?: string;
}

export interface Cart {
  currency: CurrencyCode;
  lines: CartLine[];
}

export interface Customer {
  loggedIn: boolean;
  tags?: string[];
  /** 0 = new customer (default 0 when logged in). A guest's order count is unknown: an
   *  `orderCount` condition fails for a guest whatever it asks (a returning customer who
   *  does not log in is no new customer); include guests explicitly with `loggedIn` false. */
  orderCount?: number;
}

export interface Context {
  placement: Placement;
  /** Epoch milliseconds. */
  now: number;
  /** The product page's product (placement "product"). */
  product?: ProductFacts;
  /** The line just added (placement "add_to_cart_popup"): only it triggers offers. */
  addedLineId?: string;
  /** Absent = guest. */
  customer?: Customer;
  /** ISO 3166-1 alpha-2. */
  country?: string;
  /** Cart-currency units per shop-currency unit (1 USD = 0.92 EUR → 0.92). Required when
   *  the currencies differ; default 1. */
  rate?: number;
  dismissed?: string[];
  /** Frequently-bought-together lists by anchor product id, best first (fbt offers). */
  together?: Record<string, TogetherPick[]>;
  /** Shopify's recommendations by anchor product id: complementary first, then related
   *  (fbt offers' last fallback). */
  recommended?: Record<string, RecommendedProduct[]>;
}

// ---------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------

export type OfferAction =
  | { kind: "addLines"; lines: { variantId: string; quantity: number; offerId: string }[] }
  | { kind: "replaceVariant"; lineId: string; variantId: string; offerId: string };

/** One product of a shown offer, with prices in cart minor units (per unit). */
export interface OfferItem {
  productId: string;
  variantId: string;
  quantity: number;
  /** The snapshot to render from (title, handle, image: the variant's image, else the
   *  product's). Absent for a quantity-break item the snapshot does not hold: the surface
   *  has that cart line's own title and image. */
  product?: ProductSnapshot;
  variant?: VariantSnapshot;
  priceBefore: Minor;
  priceAfter: Minor;
  /** Upsell: priceAfter minus the replaced line's unit price (may be negative). */
  difference?: Minor;
  /** fbt offers: where the item came from (mined orders, the merchant's picks, Shopify). */
  source?: "mined" | "pick" | "shopify";
  /** Mined items: bought together with the anchor(s) in `orders` orders of the window,
   *  `recent` of them this month (the best anchor's counts). */
  together?: { orders: number; recent: number };
  /** Social proof to show: "Bought together {proof} times this month", only when
   *  `together.recent` reaches the offer's `proofMin`. */
  proof?: number;
  /** What accepting just this item does. */
  action: OfferAction;
}

/** Why a shown offer applies. */
export type OfferReason =
  | "TRIGGERED" // a cart line (lineId) or the viewed product matched the trigger; no trigger: every cart
  | "UPGRADE" // lineId can be replaced
  | "BUNDLE_PARTIAL" // part of the bundle is in the cart
  | "NEXT_TIER"; // more quantity reaches the next tier

export interface ShownOffer {
  id: string;
  kind: OfferKind;
  title?: string;
  reason: OfferReason;
  /** The line that triggered it / the line an upsell replaces. */
  lineId?: string;
  /** The real end of a limited-time offer (ISO 8601). */
  endsAt?: string;
  /** The discount accepting earns (quantity breaks: the next tier's), with an `amount`
   *  converted to cart minor units. */
  discount?: OfferDiscount;
  /** At most 3. A bundle on a component's product page lists the others ("this item"
   *  is the product on screen) unless it is the only one missing. */
  items: OfferItem[];
  /** Accepting the whole offer: all items (a bundle: every missing component, the one on
   *  screen included); for an upsell, the first item's replacement. */
  action: OfferAction;
}

export interface GoalProgress {
  /** Cart minor units. */
  threshold: Minor;
  remaining: Minor;
  /** 0..1 */
  progress: number;
  reached: boolean;
}

export interface RewardProgress extends GoalProgress {
  id: string;
  label: string;
  /** Variant given free (one unit) while the tier is reached: once it is, a surface may
   *  add it (`{ variantId: gift, quantity: 1, offerId: id }`) if it is not in the cart. */
  gift?: string;
}

export type SkipReason =
  | "PLACEMENT"
  | "DISMISSED"
  | "NOT_STARTED"
  | "ENDED"
  | `CONDITION_FAILED:${Fact}`
  | "NO_TRIGGER"
  | "ALREADY_IN_CART"
  | "UNAVAILABLE"
  | "OVER_ANCHOR"
  | "EARNED" // bundle complete / top tier reached: nothing left to offer
  | "LIMIT_REACHED";

export interface SkippedOffer {
  offerId: string;
  reason: SkipReason;
}

/** What the discount function turns into operations. Amounts in cart minor units. */
export type CartDiscount =
  | {
      kind: "lineDiscount";
      lineId: string;
      /** Offer id, or reward tier id for a gift. */
      offerId: string;
      source: "offer" | "bundle" | "quantity_break" | "gift";
      /** 0 < amount ≤ line total. One discount per line: the largest wins. */
      amount: Minor;
      message: string;
    }
  | { kind: "freeShipping"; message: string };

export interface Diagnostic {
  code: "INVALID_RULESET" | "INVALID_CART" | "INVALID_CONTEXT" | "MISSING_RATE" | "INTERNAL";
  message: string;
  path?: string;
}

export interface Evaluation {
  currency: CurrencyCode;
  /** In display order (priority desc, then id), at most `shop.maxOffers`. */
  offers: ShownOffer[];
  freeShipping: GoalProgress | null;
  rewardTiers: RewardProgress[];
  /** Line discounts in the order first earned, then free shipping. Placement and
   *  dismissals do not change them. */
  discounts: CartDiscount[];
  /** Every offer not shown, with the first reason found, in display order. */
  skipped: SkippedOffer[];
  /** Non-empty means the input was rejected: everything else is empty (fail closed). */
  diagnostics: Diagnostic[];
}
