// What Shopify does with a discount function's result, for the local checkout: validates the
// operations and turns them into amounts allocated to lines, the order subtotal and delivery
// groups. Pure: no state, integer minor units of the cart's currency throughout.
//
// Invariants (as on Shopify):
// - An operation whose discount class the discount lacks is ignored (PRODUCT for
//   productDiscountsAdd, ORDER for orderDiscountsAdd, SHIPPING for deliveryDiscountsAdd).
// - A result that is not well-formed (unknown line or group, negative or non-decimal amount,
//   percentage outside 0..100) is rejected whole: nothing of it applies.
// - A discount never takes a line, subtotal or shipping below zero.
import { decimalToMinor, percentOf } from "../../app/engine";

export type DiscountClass = "ORDER" | "PRODUCT" | "SHIPPING";

export interface DiscountableLine {
  id: string;
  quantity: number;
  /** Cart minor units. */
  unitPrice: number;
}

export interface DiscountableGroup {
  id: string;
  /** The selected delivery option's cost, cart minor units. */
  cost: number;
}

export interface Allocation {
  /** Candidate message, or the discount's title. */
  title: string;
  amount: number;
}

export interface AppliedDiscounts {
  lines: Map<string, Allocation[]>;
  order: Allocation[];
  delivery: Map<string, Allocation[]>;
}

export const emptyDiscounts = (): AppliedDiscounts => ({ lines: new Map(), order: [], delivery: new Map() });

type Value = { fixedAmount?: { amount?: unknown; appliesToEachItem?: unknown }; percentage?: { value?: unknown } };
interface Candidate {
  message?: unknown;
  targets?: unknown;
  value?: Value;
}

class Rejected extends Error {}
const reject = (why: string): never => {
  throw new Rejected(why);
};

function amountOf(value: Value | undefined, base: number, units: number, currency: string): number {
  if (value?.fixedAmount && !value.percentage) {
    const amount = decimalToMinor(String(value.fixedAmount.amount), currency);
    if (!(amount >= 0)) reject("fixedAmount.amount must be a decimal ≥ 0");
    return Math.min(base, value.fixedAmount.appliesToEachItem === true ? amount * units : amount);
  }
  if (value?.percentage && !value.fixedAmount) {
    const percent = Number(value.percentage.value);
    if (!(percent >= 0 && percent <= 100)) reject("percentage.value must be within 0..100");
    return percentOf(base, percent);
  }
  return reject("value must be exactly one of fixedAmount and percentage");
}

function candidatesOf(operation: { candidates?: unknown; selectionStrategy?: unknown }, strategies: string[]): Candidate[] {
  if (!Array.isArray(operation.candidates)) reject("candidates must be a list");
  if (!strategies.includes(String(operation.selectionStrategy))) reject(`selectionStrategy must be one of ${strategies.join(", ")}`);
  return operation.candidates as Candidate[];
}

function add<K>(map: Map<K, Allocation[]>, key: K, allocation: Allocation) {
  if (allocation.amount <= 0) return;
  const list = map.get(key);
  list ? list.push(allocation) : map.set(key, [allocation]);
}

/** Picks the candidates a strategy applies: ALL of them, the FIRST, or the MAXIMUM reduction. */
function select<T>(strategy: string, scored: { candidate: T; total: number }[]): { candidate: T; total: number }[] {
  if (strategy == "ALL" || scored.length < 2) return scored;
  if (strategy == "FIRST") return scored.slice(0, 1);
  return [scored.reduce((a, b) => (b.total > a.total ? b : a))];
}

/**
 * Applies one discount's results (`lines` target, then `delivery` target) to `into`.
 * Returns the reason when Shopify would have rejected a result (then nothing of it applies).
 */
export function applyDiscountResults(
  into: AppliedDiscounts,
  discount: { title: string; discountClasses: DiscountClass[] },
  currency: string,
  lines: DiscountableLine[],
  groups: DiscountableGroup[],
  results: { lines?: unknown; delivery?: unknown },
): string[] {
  const problems: string[] = [];
  const lineById = new Map(lines.map((l) => [l.id, l]));
  const groupById = new Map(groups.map((g) => [g.id, g]));
  const taken = new Map<string, number>();
  for (const [l, list] of into.lines) taken.set(l, list.reduce((s, a) => s + a.amount, 0));
  const has = (c: DiscountClass) => discount.discountClasses.includes(c);

  const lineResult = results.lines as { operations?: Record<string, any>[] } | undefined;
  if (lineResult) {
    try {
      const staged = emptyDiscounts();
      if (!Array.isArray(lineResult.operations)) reject("operations must be a list");
      for (const op of lineResult.operations!) {
        if (op.productDiscountsAdd && has("PRODUCT")) {
          const strategy = String(op.productDiscountsAdd.selectionStrategy);
          const scored = candidatesOf(op.productDiscountsAdd, ["ALL", "FIRST", "MAXIMUM"]).map((c) => {
            if (!Array.isArray(c.targets) || !c.targets.length) reject("targets must be a non-empty list");
            const parts = (c.targets as { cartLine?: { id?: string; quantity?: number } }[]).map((t) => {
              const line = lineById.get(String(t.cartLine?.id)) ?? reject(`unknown cart line ${t.cartLine?.id}`);
              const units = Math.min(line.quantity, t.cartLine?.quantity ?? line.quantity);
              const base = Math.max(0, line.unitPrice * units - (taken.get(line.id) ?? 0));
              return { line, amount: amountOf(c.value, base, units, currency) };
            });
            // A fixed amount not applied to each item is spread over the targets, not repeated.
            if (c.value?.fixedAmount && c.value.fixedAmount.appliesToEachItem !== true && parts.length > 1) {
              let left = decimalToMinor(String(c.value.fixedAmount.amount), currency);
              for (const p of parts) left -= p.amount = Math.min(p.amount, left);
            }
            return { candidate: { c, parts }, total: parts.reduce((s, p) => s + p.amount, 0) };
          });
          for (const { candidate } of select(strategy, scored))
            for (const p of candidate.parts) {
              add(staged.lines, p.line.id, { title: String(candidate.c.message ?? discount.title), amount: p.amount });
              taken.set(p.line.id, (taken.get(p.line.id) ?? 0) + p.amount);
            }
        } else if (op.orderDiscountsAdd && has("ORDER")) {
          const strategy = String(op.orderDiscountsAdd.selectionStrategy);
          const scored = candidatesOf(op.orderDiscountsAdd, ["FIRST", "MAXIMUM"]).map((c) => {
            const excluded = new Set<string>(
              Array.isArray(c.targets) ? c.targets.flatMap((t: any) => t?.orderSubtotal?.excludedCartLineIds ?? []) : reject("targets must be a list"),
            );
            const base = lines.filter((l) => !excluded.has(l.id)).reduce((s, l) => s + l.unitPrice * l.quantity - (taken.get(l.id) ?? 0), 0);
            return { candidate: c, total: amountOf(c.value, Math.max(0, base), 1, currency) };
          });
          for (const { candidate, total } of select(strategy, scored))
            if (total > 0) staged.order.push({ title: String(candidate.message ?? discount.title), amount: total });
        }
      }
      for (const [id, list] of staged.lines) for (const a of list) add(into.lines, id, a);
      into.order.push(...staged.order);
    } catch (e) {
      if (!(e instanceof Rejected)) throw e;
      problems.push(`cart.lines.discounts.generate.run: ${e.message}`);
    }
  }

  const deliveryResult = results.delivery as { operations?: Record<string, any>[] } | undefined;
  if (deliveryResult) {
    try {
      const staged = new Map<string, Allocation[]>();
      if (!Array.isArray(deliveryResult.operations)) reject("operations must be a list");
      for (const op of deliveryResult.operations!) {
        if (!op.deliveryDiscountsAdd || !has("SHIPPING")) continue;
        for (const c of candidatesOf(op.deliveryDiscountsAdd, ["ALL"])) {
          if (!Array.isArray(c.targets) || !c.targets.length) reject("targets must be a non-empty list");
          for (const t of c.targets as { deliveryGroup?: { id?: string } }[]) {
            const group = groupById.get(String(t.deliveryGroup?.id)) ?? reject(`unknown delivery group ${t.deliveryGroup?.id}`);
            const already = [...(into.delivery.get(group.id) ?? []), ...(staged.get(group.id) ?? [])].reduce((s, a) => s + a.amount, 0);
            add(staged, group.id, { title: String(c.message ?? discount.title), amount: amountOf(c.value, Math.max(0, group.cost - already), 1, currency) });
          }
        }
      }
      for (const [id, list] of staged) for (const a of list) add(into.delivery, id, a);
    } catch (e) {
      if (!(e instanceof Rejected)) throw e;
      problems.push(`cart.delivery-options.discounts.generate.run: ${e.message}`);
    }
  }
  return problems;
}
