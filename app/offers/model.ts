// The offer as the merchant edits it, and how it becomes an engine offer. Pure: the
// editor (browser) and the services (server) share it.
//
// Three shapes:
// - `OfferInput`: what the editor form sends, fields as typed ("5.00", "2").
// - `OfferFields`: what is stored (the `Offer` row's columns, with `definition` holding
//   the kind's fields in the engine's own units: shop minor units, numeric ids).
// - the engine's `Offer`, built by `toEngineOffer` for validation, preview and publishing.
//
// Invariants: validation is the engine's (`parseRuleset` on a one-offer ruleset), so the
// admin can never store an offer a surface would reject; every error names a form field
// (`discount.value`, `tiers[1].quantity`) so it shows next to it.
import {
  decimalToMinor,
  minorDigits,
  parseRuleset,
  PLACEMENTS,
  type BundleComponent,
  type Condition,
  type Offer,
  type OfferDiscount,
  type OfferKind,
  type Placement,
  type ProductSnapshot,
  type QuantityTier,
  type Ruleset,
  type Trigger,
} from "../engine";
import { guardrailErrors } from "./guardrails";

export const OFFER_KINDS: OfferKind[] = ["cross_sell", "upsell", "bundle", "quantity_break"];
export const STORED_STATUSES = ["active", "paused"] as const;
export type StoredStatus = (typeof STORED_STATUSES)[number];
/** What the merchant sees: stored status combined with the schedule. */
export type DisplayStatus = "active" | "scheduled" | "paused" | "expired";
export const DISPLAY_STATUSES: DisplayStatus[] = ["active", "scheduled", "paused", "expired"];

/** `new`: logged-in customers with no orders (a guest's orders are unknown: a returning
 *  customer who does not log in is no new customer); `new_or_guest`: those and every guest,
 *  for a merchant who means to include guests. */
export type CustomerAudience = "any" | "logged_in" | "guest" | "new" | "new_or_guest" | "returning";
export const CUSTOMER_AUDIENCES: CustomerAudience[] = ["any", "logged_in", "guest", "new", "new_or_guest", "returning"];
export const TRIGGER_FIELDS = ["products", "variants", "collections", "tags", "vendors", "productTypes"] as const;
export type TriggerField = (typeof TRIGGER_FIELDS)[number];

/** Who and which carts see the offer; compiled to the engine's condition tree. */
export interface Audience {
  /** Shop minor units. */
  minSubtotal?: number;
  maxSubtotal?: number;
  minItems?: number;
  customer?: CustomerAudience;
  customerTags?: string[];
  countries?: string[];
}

/** The `definition` column: the kind's fields, in engine units. */
export interface OfferDefinition {
  template?: string;
  /** Storefront headline (and the discount's message at checkout). */
  title?: string;
  trigger?: Trigger;
  variants?: string[];
  discount?: OfferDiscount;
  components?: BundleComponent[];
  tiers?: QuantityTier[];
  audience?: Audience;
  /** Overrides the shop's price-anchoring share (0..1]. */
  anchorShare?: number;
  /** Cross-sell: "fbt" = products mined from the shop's orders (frequently bought
   *  together), then `variants` (the merchant's picks) as the fallback. */
  source?: "fbt";
  /** fbt: what is never recommended (collections and tags expanded at publish). */
  exclude?: Exclusions;
  /** fbt: "Bought together N times this month" shows from N ≥ proofMin (default 5). */
  proofMin?: number;
}

export interface Exclusions {
  products?: string[];
  collections?: string[];
  tags?: string[];
}

export type OfferSource = "manual" | "fbt";
/** Default social-proof threshold: below 5 co-purchases a month, "bought together" is noise. */
export const DEFAULT_PROOF_MIN = 5;

/** The editable columns of an `Offer` row. */
export interface OfferFields {
  name: string;
  kind: OfferKind;
  status: StoredStatus;
  priority: number;
  placements: Placement[];
  startsAt: Date | null;
  endsAt: Date | null;
  definition: OfferDefinition;
}

/** An offer as services hand it around (a row, shop-scoped by whoever loaded it). */
export interface OfferRecord extends OfferFields {
  id: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A cross-sell whose products are mined ("Automatic: frequently bought together"). */
export const isTogether = (o: Pick<OfferRecord, "kind" | "definition">) => o.kind == "cross_sell" && o.definition.source == "fbt";

/** Such an offer excluding products by tag or collection: expanded at publish, so product edits can make it stale. */
export const excludesByGroup = (o: Pick<OfferRecord, "kind" | "definition">) =>
  isTogether(o) && !!(o.definition.exclude?.tags?.length || o.definition.exclude?.collections?.length);

// ---------------------------------------------------------------------------------------
// Form input
// ---------------------------------------------------------------------------------------

export type DiscountChoice = "none" | "percent" | "amount";

export interface OfferInput {
  name: string;
  kind: OfferKind;
  template?: string;
  status: StoredStatus;
  priority: string;
  placements: Placement[];
  title: string;
  trigger: Record<TriggerField, string[]>;
  variants: string[];
  discount: { kind: DiscountChoice; value: string };
  components: Array<{ variantId: string; quantity: string }>;
  tiers: Array<{ quantity: string; kind: "percent" | "amount"; value: string }>;
  audience: {
    minSubtotal: string;
    maxSubtotal: string;
    minItems: string;
    customer: CustomerAudience;
    customerTags: string[];
    countries: string[];
  };
  /** Percent, "" for the shop's default. */
  anchorShare: string;
  /** Cross-sell: the merchant's picks only, or mined from orders first. */
  source: OfferSource;
  exclude: { products: string[]; collections: string[]; tags: string[] };
  /** "" for the default. */
  proofMin: string;
  /** ISO 8601 or "". */
  startsAt: string;
  endsAt: string;
  /** A quantity break with no products chosen: the merchant confirmed it discounts every
   *  product in the store (see guardrails.ts). */
  everyProduct?: boolean;
}

/** Field key → message. Keys follow the input's shape: "discount.value", "tiers[1].quantity". */
export type FieldErrors = Record<string, string>;

export const emptyTrigger = (): Record<TriggerField, string[]> => ({
  products: [],
  variants: [],
  collections: [],
  tags: [],
  vendors: [],
  productTypes: [],
});

export function blankInput(kind: OfferKind = "cross_sell"): OfferInput {
  return {
    name: "",
    kind,
    status: "active",
    priority: "0",
    placements: ["product", "cart", "drawer"],
    title: "",
    trigger: emptyTrigger(),
    variants: [],
    discount: { kind: "none", value: "" },
    components: [],
    tiers: [],
    audience: { minSubtotal: "", maxSubtotal: "", minItems: "", customer: "any", customerTags: [], countries: [] },
    anchorShare: "",
    source: "manual",
    exclude: { products: [], collections: [], tags: [] },
    proofMin: "",
    startsAt: "",
    endsAt: "",
  };
}

/** Minor units → the decimal string a merchant types ("5.00"; ¥500 → "500"). */
export function minorToInput(amount: number | undefined, currency: string): string {
  if (amount === undefined || amount === null) return "";
  const digits = minorDigits(currency);
  return (amount / 10 ** digits).toFixed(digits);
}

const discountToInput = (d: OfferDiscount | undefined, currency: string) =>
  !d ? { kind: "none" as const, value: "" } : { kind: d.kind, value: d.kind == "percent" ? String(d.value) : minorToInput(d.value, currency) };

/** A stored offer as the editor's form values. */
export function recordToInput(offer: OfferFields, currency: string): OfferInput {
  const def = offer.definition ?? {};
  const audience = def.audience ?? {};
  const trigger = emptyTrigger();
  for (const field of TRIGGER_FIELDS) trigger[field] = [...(def.trigger?.[field] ?? [])];
  return {
    name: offer.name,
    kind: offer.kind,
    template: def.template,
    status: offer.status,
    priority: String(offer.priority ?? 0),
    placements: [...offer.placements],
    title: def.title ?? "",
    trigger,
    variants: [...(def.variants ?? [])],
    discount: discountToInput(def.discount, currency),
    components: (def.components ?? []).map((c) => ({ variantId: c.variantId, quantity: String(c.quantity ?? 1) })),
    tiers: (def.tiers ?? []).map((t) => ({ quantity: String(t.quantity), ...discountToInput(t.discount, currency) }) as OfferInput["tiers"][number]),
    audience: {
      minSubtotal: minorToInput(audience.minSubtotal, currency),
      maxSubtotal: minorToInput(audience.maxSubtotal, currency),
      minItems: audience.minItems === undefined ? "" : String(audience.minItems),
      customer: audience.customer ?? "any",
      customerTags: [...(audience.customerTags ?? [])],
      countries: [...(audience.countries ?? [])],
    },
    anchorShare: def.anchorShare === undefined ? "" : String(Math.round(def.anchorShare * 1000) / 10),
    source: def.source == "fbt" ? "fbt" : "manual",
    exclude: { products: [...(def.exclude?.products ?? [])], collections: [...(def.exclude?.collections ?? [])], tags: [...(def.exclude?.tags ?? [])] },
    proofMin: def.proofMin === undefined ? "" : String(def.proofMin),
    startsAt: offer.startsAt ? offer.startsAt.toISOString() : "",
    endsAt: offer.endsAt ? offer.endsAt.toISOString() : "",
    // Saved store-wide, so already confirmed.
    ...(offer.kind == "quantity_break" && !TRIGGER_FIELDS.some((f) => trigger[f].length > 0) ? { everyProduct: true } : {}),
  };
}

// ---------------------------------------------------------------------------------------
// Input → stored fields
// ---------------------------------------------------------------------------------------

export const NAME_MAX = 120;
const TITLE_MAX = 120;
const LIST_MAX = 50;

const asString = (x: unknown): string => (typeof x == "string" ? x : typeof x == "number" ? String(x) : "");
const asList = (x: unknown): string[] =>
  Array.isArray(x) ? [...new Set(x.map(asString).map((s) => s.trim()).filter(Boolean))] : [];

/** Coerces untrusted JSON (a form post) into an `OfferInput`; unknown values become blanks. */
export function coerceInput(raw: unknown): OfferInput {
  const x = (raw && typeof raw == "object" ? raw : {}) as Record<string, any>;
  const blank = blankInput();
  const trigger = emptyTrigger();
  for (const field of TRIGGER_FIELDS) trigger[field] = asList(x.trigger?.[field]);
  const audience = x.audience ?? {};
  const customer = CUSTOMER_AUDIENCES.includes(audience.customer) ? audience.customer : "any";
  return {
    name: asString(x.name),
    kind: OFFER_KINDS.includes(x.kind) ? x.kind : blank.kind,
    template: typeof x.template == "string" ? x.template : undefined,
    status: x.status == "paused" ? "paused" : "active",
    priority: asString(x.priority ?? "0"),
    placements: Array.isArray(x.placements) ? (x.placements.filter((p: unknown) => PLACEMENTS.includes(p as Placement)) as Placement[]) : [],
    title: asString(x.title),
    trigger,
    variants: asList(x.variants),
    discount: {
      kind: ["none", "percent", "amount"].includes(x.discount?.kind) ? x.discount.kind : "none",
      value: asString(x.discount?.value),
    },
    components: Array.isArray(x.components)
      ? x.components.map((c: any) => ({ variantId: asString(c?.variantId), quantity: asString(c?.quantity ?? "1") }))
      : [],
    tiers: Array.isArray(x.tiers)
      ? x.tiers.map((t: any) => ({ quantity: asString(t?.quantity), kind: t?.kind == "amount" ? "amount" : "percent", value: asString(t?.value) }))
      : [],
    audience: {
      minSubtotal: asString(audience.minSubtotal),
      maxSubtotal: asString(audience.maxSubtotal),
      minItems: asString(audience.minItems),
      customer,
      customerTags: asList(audience.customerTags),
      countries: asList(audience.countries).map((c) => c.toUpperCase()),
    },
    anchorShare: asString(x.anchorShare),
    source: x.source == "fbt" ? "fbt" : "manual",
    exclude: { products: asList(x.exclude?.products), collections: asList(x.exclude?.collections), tags: asList(x.exclude?.tags) },
    proofMin: asString(x.proofMin),
    startsAt: asString(x.startsAt),
    endsAt: asString(x.endsAt),
    ...(x.everyProduct === true ? { everyProduct: true } : {}),
  };
}

/** Ids the offer names that must exist in the catalog (offered and bundled variants). */
export function namedVariants(def: Pick<OfferDefinition, "variants" | "components">): string[] {
  return [...new Set([...(def.variants ?? []), ...(def.components ?? []).map((c) => c.variantId)])];
}

interface Parsed {
  fields: OfferFields;
  errors: FieldErrors;
}

/** Priorities sort offers; beyond a million they only overflow the database's integer. */
export const PRIORITY_LIMIT = 1_000_000;
const EARLIEST_DATE_MS = Date.UTC(2000, 0, 1);
const LATEST_DATE_MS = Date.UTC(2100, 0, 1);
/** One offer's stored definition: far below the 128 KB every offer of a shop shares. */
export const OFFER_DEFINITION_LIMIT_BYTES = 16 * 1024;
/** Longest text any one field takes (ids, amounts, dates; names and headlines have their own). */
const FIELD_TEXT_MAX = 500;
/** Control characters Postgres refuses (NUL) or that render as nothing, and lone surrogates. */
export const UNSAFE_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Field errors for text that cannot be stored or shown: control characters, lone
 *  surrogates, a field far longer than any real value. Keyed by the top-level field. */
function unsafeTextErrors(input: OfferInput, errors: FieldErrors): void {
  const visit = (value: unknown, key: string, depth: number) => {
    if (errors[key] || depth > 6) return;
    if (typeof value == "string") {
      if (UNSAFE_TEXT.test(value)) errors[key] = "Remove the invisible control characters from this field.";
      else if (value.length > FIELD_TEXT_MAX && key != "name" && key != "title") errors[key] = `Keep this field under ${FIELD_TEXT_MAX} characters.`;
    } else if (Array.isArray(value)) value.forEach((v) => visit(v, key, depth + 1));
    else if (value && typeof value == "object") Object.values(value).forEach((v) => visit(v, key, depth + 1));
  };
  for (const [key, value] of Object.entries(input)) visit(value, key, 0);
}

/** Parses what the form typed into stored fields; reports what cannot even be read
 *  (a price that is not a number). Ranges and shapes are left to the engine. */
export function parseInput(input: OfferInput, currency: string): Parsed {
  const errors: FieldErrors = {};
  unsafeTextErrors(input, errors);
  const name = input.name.trim();
  if (!name) errors.name = "Give the offer a name.";
  else if (name.length > NAME_MAX) errors.name = `Keep the name under ${NAME_MAX} characters.`;
  const title = input.title.trim();
  if (title.length > TITLE_MAX) errors.title = `Keep the headline under ${TITLE_MAX} characters.`;
  if (input.placements.length == 0) errors.placements = "Choose at least one place to show the offer.";

  const int = (value: string, key: string, fallback?: number): number | undefined => {
    const s = value.trim();
    if (!s) return fallback;
    if (!/^-?\d+$/.test(s)) {
      errors[key] = "Enter a whole number.";
      return fallback;
    }
    const n = Number(s);
    if (Math.abs(n) > PRIORITY_LIMIT) {
      errors[key] = `Enter a whole number from -${PRIORITY_LIMIT.toLocaleString("en-US")} to ${PRIORITY_LIMIT.toLocaleString("en-US")}.`;
      return fallback;
    }
    return n;
  };
  const money = (value: string, key: string): number | undefined => {
    const s = value.trim().replace(/,/g, "");
    if (!s) return undefined;
    const minor = decimalToMinor(s, currency);
    if (!Number.isFinite(minor)) {
      errors[key] = minorDigits(currency) ? "Enter an amount like 5.00." : "Enter a whole amount.";
      return undefined;
    }
    return minor;
  };
  const percent = (value: string, key: string): number | undefined => {
    const s = value.trim().replace(/%$/, "");
    if (!s) {
      errors[key] = "Enter the discount.";
      return undefined;
    }
    // Decimal digits only: Number() would also read "0x10" as 16 and "1e2" as 100.
    if (!/^\d{1,3}(\.\d{1,2})?$/.test(s)) {
      errors[key] = "Enter a percentage like 10.";
      return undefined;
    }
    return Number(s);
  };
  const discountOf = (kind: DiscountChoice, value: string, key: string): OfferDiscount | undefined => {
    if (kind == "none") return undefined;
    if (kind == "percent") {
      const v = percent(value, key);
      return v === undefined ? undefined : { kind, value: v };
    }
    if (!value.trim()) {
      errors[key] = "Enter the discount.";
      return undefined;
    }
    const v = money(value, key);
    return v === undefined ? undefined : { kind, value: v };
  };
  const time = (value: string, key: string): Date | null => {
    if (!value.trim()) return null;
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) {
      errors[key] = "Enter a date and time.";
      return null;
    }
    if (ms < EARLIEST_DATE_MS || ms > LATEST_DATE_MS) {
      errors[key] = "Enter a date between the years 2000 and 2100.";
      return null;
    }
    return new Date(ms);
  };

  const priority = int(input.priority, "priority", 0) ?? 0;
  const startsAt = time(input.startsAt, "startsAt");
  const endsAt = time(input.endsAt, "endsAt");

  const definition: OfferDefinition = {};
  if (input.template) definition.template = input.template;
  if (title) definition.title = title;
  const kind = input.kind;

  if (kind == "cross_sell" || kind == "upsell" || kind == "quantity_break") {
    const trigger: Trigger = {};
    for (const field of TRIGGER_FIELDS) {
      const values = input.trigger[field];
      if (values.length > LIST_MAX) errors.trigger = `Name at most ${LIST_MAX} ${field} in a trigger.`;
      if (values.length) trigger[field] = values;
    }
    if (Object.keys(trigger).length || kind == "upsell") definition.trigger = trigger;
  }
  if (kind == "cross_sell" || kind == "upsell") {
    if (input.variants.length > LIST_MAX) errors.variants = `Offer at most ${LIST_MAX} products.`;
    definition.variants = input.variants;
    const discount = discountOf(input.discount.kind, input.discount.value, "discount.value");
    if (discount) definition.discount = discount;
  }
  if (kind == "cross_sell" && input.source == "fbt") {
    definition.source = "fbt";
    const exclude: Exclusions = {};
    for (const field of ["products", "collections", "tags"] as const) {
      const values = input.exclude[field];
      if (values.length > LIST_MAX) errors.exclude = `Exclude at most ${LIST_MAX} ${field}.`;
      if (values.length) exclude[field] = values;
    }
    if (Object.keys(exclude).length) definition.exclude = exclude;
    const proofMin = int(input.proofMin, "proofMin");
    if (proofMin !== undefined) {
      if (proofMin < 1) errors.proofMin = "Enter 1 or more.";
      else definition.proofMin = proofMin;
    }
  }
  if (kind == "bundle") {
    definition.components = input.components.map((c, i) => ({
      variantId: c.variantId,
      quantity: int(c.quantity, `components[${i}].quantity`, 1) ?? 1,
    }));
    const discount = discountOf(input.discount.kind == "none" ? "percent" : input.discount.kind, input.discount.value, "discount.value");
    if (discount) definition.discount = discount;
    else if (!errors["discount.value"]) errors["discount.value"] = "A bundle needs a discount.";
  }
  if (kind == "quantity_break") {
    if (input.tiers.length == 0) errors.tiers = "Add at least one tier.";
    definition.tiers = input.tiers.map((t, i) => ({
      quantity: int(t.quantity, `tiers[${i}].quantity`, 0) ?? 0,
      discount: discountOf(t.kind, t.value, `tiers[${i}].value`) ?? { kind: "percent", value: 0 },
    }));
  }

  const audience: Audience = {};
  const a = input.audience;
  const minSubtotal = money(a.minSubtotal, "audience.minSubtotal");
  const maxSubtotal = money(a.maxSubtotal, "audience.maxSubtotal");
  const minItems = int(a.minItems, "audience.minItems");
  if (minSubtotal !== undefined) audience.minSubtotal = minSubtotal;
  if (maxSubtotal !== undefined) audience.maxSubtotal = maxSubtotal;
  if (minSubtotal !== undefined && maxSubtotal !== undefined && maxSubtotal < minSubtotal)
    errors["audience.maxSubtotal"] = "The maximum must be at least the minimum.";
  if (minItems !== undefined) audience.minItems = minItems;
  if (a.customer != "any") audience.customer = a.customer;
  if (a.customerTags.length) audience.customerTags = a.customerTags;
  if (a.countries.length) {
    audience.countries = a.countries;
    const bad = a.countries.find((c) => !/^[A-Z]{2}$/.test(c));
    if (bad) errors["audience.countries"] = `“${bad}” is not a two-letter country code (US, DE, JP…).`;
  }
  if (Object.keys(audience).length) definition.audience = audience;

  if (input.anchorShare.trim()) {
    const share = Number(input.anchorShare.trim().replace(/%$/, ""));
    if (!Number.isFinite(share) || share <= 0 || share > 1000) errors.anchorShare = "Enter a share of the cart between 1 and 1000 (%).";
    else definition.anchorShare = share / 100;
  }

  const bytes = new TextEncoder().encode(JSON.stringify(definition)).length;
  if (bytes > OFFER_DEFINITION_LIMIT_BYTES)
    errors.form = `This offer is too large to publish (${(bytes / 1024).toFixed(1)} KB; one offer may take ${OFFER_DEFINITION_LIMIT_BYTES / 1024} KB): name fewer products or shorten its texts.`;

  return {
    fields: { name, kind, status: input.status, priority, placements: input.placements, startsAt, endsAt, definition },
    errors,
  };
}

// ---------------------------------------------------------------------------------------
// Stored fields → engine offer
// ---------------------------------------------------------------------------------------

/** The audience as the engine's condition tree, with the form field of each leaf. */
export function audienceConditions(audience: Audience | undefined): { condition?: Condition; fields: string[] } {
  const leaves: Condition[] = [];
  const fields: string[] = [];
  const add = (c: Condition, field: string) => {
    leaves.push(c);
    fields.push(field);
  };
  if (audience) {
    if (audience.minSubtotal !== undefined) add({ fact: "subtotal", op: "gte", value: audience.minSubtotal }, "audience.minSubtotal");
    if (audience.maxSubtotal !== undefined) add({ fact: "subtotal", op: "lte", value: audience.maxSubtotal }, "audience.maxSubtotal");
    if (audience.minItems !== undefined) add({ fact: "itemCount", op: "gte", value: audience.minItems }, "audience.minItems");
    switch (audience.customer) {
      case "logged_in":
        add({ fact: "loggedIn", op: "eq", value: true }, "audience.customer");
        break;
      case "guest":
        add({ fact: "loggedIn", op: "eq", value: false }, "audience.customer");
        break;
      case "new":
        add({ fact: "orderCount", op: "eq", value: 0 }, "audience.customer");
        break;
      case "new_or_guest":
        add({ any: [{ fact: "orderCount", op: "eq", value: 0 }, { fact: "loggedIn", op: "eq", value: false }] }, "audience.customer");
        break;
      case "returning":
        add({ fact: "orderCount", op: "gte", value: 1 }, "audience.customer");
        break;
    }
    if (audience.customerTags?.length) add({ fact: "customerTags", op: "in", value: audience.customerTags }, "audience.customerTags");
    if (audience.countries?.length) add({ fact: "country", op: "in", value: audience.countries }, "audience.countries");
  }
  return { condition: leaves.length ? { all: leaves } : undefined, fields };
}

/** The engine offer for a stored offer. Absent optional fields stay absent (compact JSON). */
export function toEngineOffer(id: string, fields: OfferFields): Offer {
  const def = fields.definition ?? {};
  const base: Record<string, unknown> = { id, kind: fields.kind };
  if (def.title) base.title = def.title;
  if (fields.priority) base.priority = fields.priority;
  // Every placement is the engine's default: leave it out.
  if (fields.placements.length && fields.placements.length < PLACEMENTS.length) base.placements = [...fields.placements];
  const { condition } = audienceConditions(def.audience);
  if (condition) base.conditions = condition;
  if (fields.startsAt) base.startsAt = fields.startsAt.toISOString();
  if (fields.endsAt) base.endsAt = fields.endsAt.toISOString();
  if (def.anchorShare !== undefined) base.anchorShare = def.anchorShare;
  switch (fields.kind) {
    case "cross_sell":
    case "upsell":
      if (def.trigger) base.trigger = def.trigger;
      base.variants = def.variants ?? [];
      if (def.discount) base.discount = def.discount;
      // Frequently bought together: the publisher adds the mined products to `variants`
      // and the expanded exclusions to `exclude`; the merchant's picks are the fallback.
      if (fields.kind == "cross_sell" && def.source == "fbt") {
        base.source = "fbt";
        base.picks = [...(def.variants ?? [])];
        if (def.exclude?.products?.length) base.exclude = [...def.exclude.products];
        if (def.proofMin !== undefined) base.proofMin = def.proofMin;
      }
      break;
    case "bundle":
      base.components = (def.components ?? []).map((c) => (c.quantity && c.quantity != 1 ? c : { variantId: c.variantId }));
      base.discount = def.discount;
      break;
    case "quantity_break":
      if (def.trigger) base.trigger = def.trigger;
      base.tiers = def.tiers ?? [];
      break;
  }
  return base as unknown as Offer;
}

// ---------------------------------------------------------------------------------------
// Validation with the engine's rules
// ---------------------------------------------------------------------------------------

const FRIENDLY: Array<[RegExp, RegExp, (kind: OfferKind) => string]> = [
  [/^variants$/, /at least 1/, (k) => (k == "upsell" ? "Choose the better product or variant to offer." : "Choose at least one product to offer.")],
  [/^variants/, /must be a variant in products/, () => "A product you chose is no longer in your catalog: remove it."],
  [/^components$/, /at least 2|2 to 4/, () => "A bundle needs 2 to 4 different products."],
  [/^components/, /must be a variant in products/, () => "A product in the bundle is no longer in your catalog: remove it."],
  [/^components\[\d+\]\.quantity$/, /./, () => "Quantity must be 1 or more."],
  [/^trigger$/, /must name at least one|empty|required/, (k) => (k == "upsell" ? "Choose the products (or collections, tags…) this upgrade replaces." : "Choose what triggers the offer.")],
  [/^tiers$/, /ascend/, () => "Each tier needs a larger quantity than the one before."],
  [/^tiers$/, /at least 1/, () => "Add at least one tier."],
  [/^tiers\[\d+\]\.quantity$/, /./, () => "Quantity must be 2 or more."],
  [/value$/, /percentage/, () => "Enter a percentage above 0 and up to 100, or an amount above 0."],
  [/^endsAt$/, /after startsAt/, () => "The end must be after the start."],
  [/^audience\./, /whole number/, () => "Enter 0 or more."],
  [/^anchorShare$/, /above 0/, () => "Enter a share above 0."],
];

/** Maps a ruleset error path of offer 0 to the form field it belongs to. */
export function fieldForPath(path: string, audienceFields: string[]): string {
  const p = path.replace(/^offers\[0\]\.?/, "");
  let m: RegExpExecArray | null;
  if ((m = /^conditions(?:\.all)?\[(\d+)\]/.exec(p))) return audienceFields[Number(m[1])] ?? "audience";
  if (p.startsWith("conditions")) return "audience";
  if ((m = /^tiers\[(\d+)\]\.discount/.exec(p))) return `tiers[${m[1]}].value`;
  if ((m = /^tiers\[(\d+)\]\.quantity/.exec(p))) return `tiers[${m[1]}].quantity`;
  if ((m = /^components\[(\d+)\]\.quantity/.exec(p))) return `components[${m[1]}].quantity`;
  if (/^components/.test(p)) return p.includes(".variantId") ? "components.variantId" : "components";
  if (/^variants/.test(p)) return p.includes("[") ? "variants.variantId" : "variants";
  if (/^discount/.test(p)) return "discount.value";
  if (/^trigger/.test(p)) return "trigger";
  if (/^picks/.test(p)) return "variants";
  if (/^exclude/.test(p)) return "exclude";
  if (/^proofMin/.test(p)) return "proofMin";
  if (/^(startsAt|endsAt|priority|title|placements|anchorShare)$/.test(p)) return p;
  return "form";
}

function friendly(field: string, message: string, kind: OfferKind): string {
  const key = field.replace(/\.variantId$/, "");
  for (const [f, msg, text] of FRIENDLY) if (f.test(key) && msg.test(message)) return text(kind);
  return message.charAt(0).toUpperCase() + message.slice(1) + ".";
}

/** Validates stored fields exactly as a surface would parse them: the offer alone in a
 *  ruleset holding `products` (a snapshot covering the variants it names). */
export function engineErrors(fields: OfferFields, currency: string, products: Record<string, ProductSnapshot>): FieldErrors {
  const offer = toEngineOffer("offer", fields);
  const ruleset: Ruleset = { schemaVersion: 1, revision: 0, shop: { currency }, offers: [offer], products };
  const parsed = parseRuleset(ruleset);
  if (parsed.ok) return {};
  const { fields: audienceFields } = audienceConditions(fields.definition.audience);
  const errors: FieldErrors = {};
  for (const e of parsed.errors) {
    if (!e.path.startsWith("offers[0]")) continue; // snapshot problems are the catalog's, not the form's
    const field = fieldForPath(e.path, audienceFields);
    const key = field.replace(/\.variantId$/, "");
    errors[key] ??= friendly(field, e.message, fields.kind);
  }
  return errors;
}

/** Parses and validates a form post. `products` must cover the variants the input names
 *  (the catalog's snapshot); a variant missing from it is reported as gone. */
export function validateInput(
  input: OfferInput,
  currency: string,
  products: Record<string, ProductSnapshot>,
): { ok: true; fields: OfferFields } | { ok: false; errors: FieldErrors; fields: OfferFields } {
  const { fields, errors } = parseInput(input, currency);
  const engine = engineErrors(fields, currency, products);
  for (const [key, message] of Object.entries(engine)) errors[key] ??= message;
  // What the engine accepts but the merchant cannot have meant (only once it is valid).
  if (!Object.keys(errors).length) Object.assign(errors, guardrailErrors(fields, products, currency, input.everyProduct));
  return Object.keys(errors).length ? { ok: false, errors, fields } : { ok: true, fields };
}

// ---------------------------------------------------------------------------------------
// Status
// ---------------------------------------------------------------------------------------

export function displayStatus(offer: Pick<OfferFields, "status" | "startsAt" | "endsAt">, now = Date.now()): DisplayStatus {
  if (offer.endsAt && offer.endsAt.getTime() <= now) return "expired";
  if (offer.status == "paused") return "paused";
  if (offer.startsAt && offer.startsAt.getTime() > now) return "scheduled";
  return "active";
}

export const KIND_LABELS: Record<OfferKind, string> = {
  cross_sell: "Cross-sell",
  upsell: "Upgrade",
  bundle: "Bundle",
  quantity_break: "Quantity breaks",
};

export const PLACEMENT_LABELS: Record<Placement, string> = {
  product: "Product page",
  cart: "Cart page",
  drawer: "Cart drawer",
  add_to_cart_popup: "Add-to-cart pop-up",
  checkout: "Checkout",
  thank_you: "Thank-you page",
};
