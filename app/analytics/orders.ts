// Orders as analytics sees them: parses Shopify's REST webhook payloads (orders/create,
// orders/updated, orders/cancelled, refunds/create; Admin API 2026-10) into the few
// fields Cartlift keeps, and decides what an order contributes to the daily rollups.
//
// Pure: no I/O. Invariants:
// - Amounts are integer minor units of the SHOP's currency (the `shop_money` side of
//   every money set), so orders paid in different currencies add up; the presentment
//   currency and its rate are kept beside them.
// - A line's revenue is its price times quantity minus its discount allocations (order
//   discounts are allocated to lines by Shopify); shipping, tax and tips are not revenue.
// - A line credits an offer only when it carries `_cartlift_offer` with a plausible id.
// - A cancelled order contributes nothing; refunds subtract what they refunded, on the
//   order's day. The contribution is a function of the order's state, so applying the
//   difference between two states is safe in any arrival order.
import { minorDigits } from "../engine/money";
import { OFFER_LINE_PROPERTY } from "../engine/cart";

export const GROUP_ATTRIBUTE = "_cartlift_group";
export type Group = "treatment" | "holdout" | "none";
export const GROUPS: readonly Group[] = ["treatment", "holdout", "none"];

/** Offer ids are cuids or slugs; anything else a buyer typed is not credited. */
const PLAUSIBLE_OFFER_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface OrderLineState {
  lineId: string;
  productId: string | null;
  variantId: string | null;
  quantity: number;
  revenueMinor: number;
  offerId: string | null;
}

/** A refund as kept: per line, the quantity and amount (shop minor units) refunded. */
export interface RefundState {
  at: string;
  lines: Record<string, [quantity: number, minor: number]>;
}

export interface OrderState {
  orderId: string;
  createdAt: string;
  processedAt: string;
  day: string;
  sourceUpdatedAt: string;
  cancelledAt: string | null;
  shopCurrency: string;
  currency: string;
  presentmentRate: number;
  group: Group;
  totalMinor: number;
  lines: OrderLineState[];
}

export class PayloadError extends Error {}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Shopify sends numeric ids in REST payloads (and GIDs elsewhere): keep the number.
 * Ids above 2^53 lose digits in JSON.parse, but every payload loses them alike, so an
 * order and its refunds still meet (today's ids are about 6·10^12).
 */
export function numericId(value: unknown): string | null {
  if (typeof value === "number" && Number.isInteger(value) && value > 0 && value < 1e21) return String(value);
  if (typeof value === "string") {
    const match = /^(?:gid:\/\/shopify\/\w+\/)?(\d{1,20})$/.exec(value);
    if (match) return match[1];
  }
  return null;
}

/** A decimal amount ("12.30", 12.3) → integer minor units of `currency`, rounded half up. */
export function toMinor(amount: unknown, currency: string): number {
  const text = typeof amount === "number" ? String(amount) : typeof amount === "string" ? amount.trim() : "";
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return 0;
  const digits = minorDigits(currency);
  const fraction = (match[3] ?? "").padEnd(digits + 1, "0");
  const units = Number(match[2]) * 10 ** digits + Number(fraction.slice(0, digits) || "0");
  const rounded = units + (Number(fraction[digits]) >= 5 ? 1 : 0);
  return match[1] === "-" ? -rounded : rounded;
}

/** The shop-money amount of a money set (`{ shop_money: { amount, currency_code } }`). */
function shopMoney(set: unknown, fallback: unknown, currency: string): number {
  if (isObject(set) && isObject(set.shop_money)) return toMinor(set.shop_money.amount, currency);
  return toMinor(fallback, currency);
}

function presentmentAmount(set: unknown): number | null {
  if (!isObject(set) || !isObject(set.presentment_money)) return null;
  const amount = Number(set.presentment_money.amount);
  return Number.isFinite(amount) ? amount : null;
}

function timestamp(value: unknown, field: string): string {
  if (typeof value !== "string" || Number.isNaN(Date.parse(value))) throw new PayloadError(`${field} is not a timestamp`);
  return value;
}

/**
 * The order's calendar day in the shop's time zone. Shopify writes REST timestamps in
 * the shop's zone with its offset ("2026-11-30T21:15:00-05:00"), so the date part is the
 * shop's day; a UTC timestamp is read in `timeZone` when known.
 */
export function shopDay(stamp: string, timeZone?: string | null): string {
  if (/[+-]\d\d:\d\d$/.test(stamp) && !/[+-]00:00$/.test(stamp)) return stamp.slice(0, 10);
  return dayIn(new Date(stamp), timeZone ?? "UTC");
}

// Building an Intl.DateTimeFormat costs far more than formatting with one (it was most of
// the event ingest's CPU time): one per time zone, kept.
const dayFormats = new Map<string, Intl.DateTimeFormat | null>();

/** YYYY-MM-DD of an instant in an IANA time zone. */
export function dayIn(instant: Date, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    } catch {
      format = null; // an unknown zone: UTC
    }
    if (dayFormats.size < 1000) dayFormats.set(timeZone, format);
  }
  return format ? format.format(instant) : instant.toISOString().slice(0, 10);
}

function attribute(list: unknown, name: string): string | null {
  if (!Array.isArray(list)) return null;
  for (const entry of list) {
    if (isObject(entry) && (entry.name === name || entry.key === name) && typeof entry.value === "string") return entry.value;
  }
  return null;
}

export function parseGroup(value: string | null): Group {
  return value === "treatment" || value === "holdout" ? value : "none";
}

export function plausibleOfferId(value: string | null): string | null {
  return value !== null && PLAUSIBLE_OFFER_ID.test(value) ? value : null;
}

/** orders/create, orders/updated and orders/cancelled carry the whole order. */
export function parseOrder(payload: unknown, timeZone?: string | null): OrderState {
  if (!isObject(payload)) throw new PayloadError("the payload is not an object");
  const orderId = numericId(payload.id);
  if (!orderId) throw new PayloadError("the order has no id");
  const createdAt = timestamp(payload.created_at, "created_at");
  const processedAt = typeof payload.processed_at === "string" ? timestamp(payload.processed_at, "processed_at") : createdAt;
  const sourceUpdatedAt = typeof payload.updated_at === "string" ? timestamp(payload.updated_at, "updated_at") : createdAt;
  const cancelledAt = typeof payload.cancelled_at === "string" ? timestamp(payload.cancelled_at, "cancelled_at") : null;
  const shopCurrency = typeof payload.currency === "string" && /^[A-Z]{3}$/.test(payload.currency) ? payload.currency : null;
  if (!shopCurrency) throw new PayloadError("the order has no currency");
  const currency =
    typeof payload.presentment_currency === "string" && /^[A-Z]{3}$/.test(payload.presentment_currency) ? payload.presentment_currency : shopCurrency;

  const lines: OrderLineState[] = [];
  for (const item of Array.isArray(payload.line_items) ? payload.line_items : []) {
    if (!isObject(item)) continue;
    const lineId = numericId(item.id);
    if (!lineId) continue;
    const quantity = Number.isSafeInteger(item.quantity) ? (item.quantity as number) : 0;
    const unit = shopMoney(item.price_set, item.price, shopCurrency);
    let discount = 0;
    for (const allocation of Array.isArray(item.discount_allocations) ? item.discount_allocations : []) {
      if (isObject(allocation)) discount += shopMoney(allocation.amount_set, allocation.amount, shopCurrency);
    }
    lines.push({
      lineId,
      productId: numericId(item.product_id),
      variantId: numericId(item.variant_id),
      quantity,
      revenueMinor: Math.max(0, unit * quantity - discount),
      offerId: plausibleOfferId(attribute(item.properties, OFFER_LINE_PROPERTY)),
    });
  }

  const shopTotal = isObject(payload.total_price_set) && isObject(payload.total_price_set.shop_money) ? Number(payload.total_price_set.shop_money.amount) : NaN;
  const presentmentTotal = presentmentAmount(payload.total_price_set);
  const presentmentRate =
    currency !== shopCurrency && presentmentTotal && Number.isFinite(shopTotal) && shopTotal > 0 ? shopTotal / presentmentTotal : 1;

  return {
    orderId,
    createdAt,
    processedAt,
    day: shopDay(processedAt, timeZone),
    sourceUpdatedAt,
    cancelledAt,
    shopCurrency,
    currency,
    presentmentRate,
    group: parseGroup(attribute(payload.note_attributes, GROUP_ATTRIBUTE)),
    totalMinor: lines.reduce((sum, line) => sum + line.revenueMinor, 0),
    lines,
  };
}

/** A refund object (refunds/create's payload, or one of an order's `refunds`). */
export function parseRefund(payload: unknown, shopCurrency?: string): { refundId: string; orderId: string; refund: RefundState } {
  if (!isObject(payload)) throw new PayloadError("the refund is not an object");
  const refundId = numericId(payload.id);
  const orderId = numericId(payload.order_id);
  if (!refundId || !orderId) throw new PayloadError("the refund has no id or order_id");
  const lines: RefundState["lines"] = {};
  for (const item of Array.isArray(payload.refund_line_items) ? payload.refund_line_items : []) {
    if (!isObject(item)) continue;
    const lineId = numericId(item.line_item_id);
    if (!lineId) continue;
    const currency =
      shopCurrency ??
      (isObject(item.subtotal_set) && isObject(item.subtotal_set.shop_money) && typeof item.subtotal_set.shop_money.currency_code === "string"
        ? item.subtotal_set.shop_money.currency_code
        : "USD");
    const quantity = Number.isSafeInteger(item.quantity) ? (item.quantity as number) : 0;
    const minor = Math.max(0, shopMoney(item.subtotal_set, item.subtotal, currency));
    const [q, m] = lines[lineId] ?? [0, 0];
    lines[lineId] = [q + quantity, m + minor];
  }
  const at = typeof payload.created_at === "string" ? payload.created_at : new Date(0).toISOString();
  return { refundId, orderId, refund: { at, lines } };
}

/** The refunds an order payload carries (orders/updated lists them). */
export function refundsInOrder(payload: unknown, shopCurrency: string): Record<string, RefundState> {
  const refunds: Record<string, RefundState> = {};
  if (!isObject(payload) || !Array.isArray(payload.refunds)) return refunds;
  for (const entry of payload.refunds) {
    try {
      const { refundId, refund } = parseRefund(entry, shopCurrency);
      refunds[refundId] = refund;
    } catch {
      // A malformed refund inside an order is skipped; refunds/create delivers it too.
    }
  }
  return refunds;
}

/** Refunded quantity and amount per line, over every refund, capped at what the line had. */
export function refundedByLine(lines: OrderLineState[], refunds: Record<string, RefundState>): Map<string, { quantity: number; minor: number }> {
  const totals = new Map<string, { quantity: number; minor: number }>();
  for (const refund of Object.values(refunds)) {
    for (const [lineId, [quantity, minor]] of Object.entries(refund.lines)) {
      const total = totals.get(lineId) ?? { quantity: 0, minor: 0 };
      total.quantity += quantity;
      total.minor += minor;
      totals.set(lineId, total);
    }
  }
  for (const line of lines) {
    const total = totals.get(line.lineId);
    if (total) {
      total.quantity = Math.min(total.quantity, line.quantity);
      total.minor = Math.min(total.minor, line.revenueMinor);
    }
  }
  return totals;
}

/** One rollup row's share of an order. */
export interface Contribution {
  day: string;
  group: Group;
  offerId: string;
  orders: number;
  revenueMinor: number;
  refundedMinor: number;
  revenueSq: number;
  quantity: number;
}

/**
 * What an order adds to the daily rollups: its group's row (one order, its net revenue
 * and that revenue squared for the variance) and one row per offer it bought from
 * (attributed revenue net of refunds). A cancelled order adds nothing.
 */
export function contributionOf(order: OrderState | null, refunds: Record<string, RefundState>): Contribution[] {
  if (!order || order.cancelledAt) return [];
  const refunded = refundedByLine(order.lines, refunds);
  let refundedTotal = 0;
  const byOffer = new Map<string, Contribution>();
  for (const line of order.lines) {
    const lineRefund = refunded.get(line.lineId) ?? { quantity: 0, minor: 0 };
    refundedTotal += lineRefund.minor;
    if (!line.offerId) continue;
    const row = byOffer.get(line.offerId) ?? {
      day: order.day, group: order.group, offerId: line.offerId, orders: 1, revenueMinor: 0, refundedMinor: 0, revenueSq: 0, quantity: 0,
    };
    row.revenueMinor += line.revenueMinor - lineRefund.minor;
    row.refundedMinor += lineRefund.minor;
    row.quantity += line.quantity - lineRefund.quantity;
    byOffer.set(line.offerId, row);
  }
  const net = order.totalMinor - refundedTotal;
  const groupRow: Contribution = {
    day: order.day,
    group: order.group,
    offerId: "",
    orders: 1,
    revenueMinor: net,
    refundedMinor: refundedTotal,
    revenueSq: net * net,
    quantity: order.lines.reduce((sum, line) => sum + line.quantity, 0),
  };
  return [groupRow, ...byOffer.values()];
}

const key = (c: Pick<Contribution, "day" | "group" | "offerId">) => `${c.day}|${c.group}|${c.offerId}`;

/** new − old, per rollup row; rows whose difference is all zero are left out. Sorted by key. */
export function contributionDelta(before: Contribution[], after: Contribution[]): Contribution[] {
  const rows = new Map<string, Contribution>();
  const add = (c: Contribution, sign: 1 | -1) => {
    const row = rows.get(key(c)) ?? { day: c.day, group: c.group, offerId: c.offerId, orders: 0, revenueMinor: 0, refundedMinor: 0, revenueSq: 0, quantity: 0 };
    row.orders += sign * c.orders;
    row.revenueMinor += sign * c.revenueMinor;
    row.refundedMinor += sign * c.refundedMinor;
    row.revenueSq += sign * c.revenueSq;
    row.quantity += sign * c.quantity;
    rows.set(key(c), row);
  };
  before.forEach((c) => add(c, -1));
  after.forEach((c) => add(c, 1));
  return [...rows.entries()]
    .filter(([, r]) => r.orders || r.revenueMinor || r.refundedMinor || r.revenueSq || r.quantity)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, r]) => r);
}

/** Whether a payload's state should replace the stored one (never go back in time). */
export function isNewer(incoming: Pick<OrderState, "sourceUpdatedAt">, stored: { sourceUpdatedAt: string } | null): boolean {
  return !stored || Date.parse(incoming.sourceUpdatedAt) >= Date.parse(stored.sourceUpdatedAt);
}

/**
 * An order as stored: its newest state (null for a placeholder a refund made before its
 * order arrived), every refund by id, and what it last added to the rollups.
 */
export interface StoredOrder {
  state: OrderState | null;
  refunds: Record<string, RefundState>;
  contribution: Contribution[];
  /** A placeholder's time (its first refund's), kept as the row's createdAt. */
  placeholderAt: string | null;
}

export type OrderChange =
  | { kind: "order"; order: OrderState; refunds: Record<string, RefundState> }
  | { kind: "refund"; orderId: string; refundId: string; refund: RefundState };

export interface FoldResult {
  /** The order after the change; the same object as `stored` when nothing changed. */
  next: StoredOrder;
  changed: boolean;
  /** What the rollups receive (new contribution − old), sorted by key. */
  delta: Contribution[];
  /** Whether the payload was older than the stored state (its order fields were not applied). */
  stale: boolean;
}

export const changeOrderId = (change: OrderChange) => (change.kind === "order" ? change.order.orderId : change.orderId);

/**
 * Applies one delivery's change to an order. Pure, so a batch can apply several
 * deliveries of one order in sequence in memory: folding changes one by one gives the
 * same state and the same summed deltas as storing after each.
 */
export function foldChange(stored: StoredOrder | null, change: OrderChange): FoldResult {
  const storedRefunds = stored?.refunds ?? {};
  const refunds = { ...storedRefunds, ...(change.kind === "order" ? change.refunds : { [change.refundId]: change.refund }) };
  const newer = change.kind === "order" && isNewer(change.order, stored?.state ?? null);
  const refundsChanged = Object.keys(refunds).length !== Object.keys(storedRefunds).length;
  const stale = change.kind === "order" && !newer;
  if (stored && !newer && !refundsChanged) return { next: stored, changed: false, delta: [], stale };
  const state = newer ? (change as { order: OrderState }).order : (stored?.state ?? null);
  const contribution = contributionOf(state, refunds);
  return {
    next: {
      state,
      refunds,
      contribution,
      placeholderAt: state ? null : (stored?.placeholderAt ?? (change.kind === "refund" ? change.refund.at : new Date(0).toISOString())),
    },
    changed: true,
    delta: contributionDelta(stored?.contribution ?? [], contribution),
    stale,
  };
}

/** Rollup deltas summed over many orders, keyed by shop too (a batch spans shops). */
export class RollupDeltas {
  private rows = new Map<string, Contribution & { shop: string }>();
  add(shop: string, delta: Contribution[]) {
    for (const c of delta) {
      const k = `${shop}|${key(c)}`;
      const row = this.rows.get(k) ?? { shop, day: c.day, group: c.group, offerId: c.offerId, orders: 0, revenueMinor: 0, refundedMinor: 0, revenueSq: 0, quantity: 0 };
      row.orders += c.orders;
      row.revenueMinor += c.revenueMinor;
      row.refundedMinor += c.refundedMinor;
      row.revenueSq += c.revenueSq;
      row.quantity += c.quantity;
      this.rows.set(k, row);
    }
  }
  /** Rows whose summed delta is not all zero, in key order (rows are locked in one order). */
  list(): Array<Contribution & { shop: string }> {
    return [...this.rows.entries()]
      .filter(([, r]) => r.orders || r.revenueMinor || r.refundedMinor || r.revenueSq || r.quantity)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, r]) => r);
  }
}
