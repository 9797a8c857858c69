// Conditions: decides whether an offer's rule tree holds for this cart and shopper, and
// if not, names the first fact that failed (the admin preview shows it).
// Invariants: a fact the context does not know (country) fails whatever the operator,
// so an unknown shopper never unlocks a restricted offer; a guest is logged out with no
// tags and no orders (a new customer).
import type { Condition, Context, Fact } from "./types";
import { convertMinor } from "./money";

export interface Facts {
  /** Cart minor units, before discounts. */
  subtotal: number;
  count: number;
  ctx: Context;
  shopCurrency: string;
  cur: string;
  /** Shop currency → cart currency. */
  rate: number;
}

/** The first failing fact, or undefined when the condition holds. `all` reports its
 *  first failure; `any` holds at its first success, else reports its first failure. */
export function failedFact(c: Condition, f: Facts): Fact | undefined {
  const { all, any, fact, op, value } = c as any;
  if (all || any) {
    let first;
    for (const x of all || any) {
      const failed = failedFact(x, f);
      if (all ? failed : !failed) return failed;
      first ||= failed;
    }
    return first;
  }
  const { customer, country } = f.ctx;
  const have: any =
    fact == "subtotal"
      ? f.subtotal
      : fact == "itemCount"
        ? f.count
        : fact == "orderCount"
          ? customer?.orderCount || 0
          : fact == "loggedIn"
            ? !!customer?.loggedIn
            : fact == "country"
              ? country && [country]
              : customer?.tags || [];
  const want = fact == "subtotal" ? convertMinor(value, f.shopCurrency, f.cur, f.rate) : value;
  const ok = op == "gte" ? have >= want : op == "lte" ? have <= want : op == "eq" ? have == want : !!have && have.some((v: string) => want.includes(v)) == (op == "in");
  return ok ? undefined : fact;
}
