// Conditions: decides whether an offer's rule tree holds for this cart and shopper, and
// if not, names the first fact that failed (the admin preview shows it).
// Invariants: a fact the context does not know (country; a guest's order count) fails
// whatever the operator, so an unknown shopper never unlocks a restricted offer: a guest is
// logged out, has no tags, and is no "new customer" (they may have ordered before without
// logging in) unless the merchant includes guests explicitly (`loggedIn` eq false).
import type { Condition, Context, Fact } from "./types";

/** The first failing fact, or undefined when the condition holds. `all` reports its
 *  first failure; `any` holds at its first success, else reports its first failure.
 *  `subtotal` is in cart minor units; `convert` turns shop minor units into them. */
export function failedFact(c: Condition, subtotal: number, count: number, ctx: Context, convert: (amount: number) => number): Fact | undefined {
  const { all, any, fact, op, value } = c as any;
  if (all || any) {
    let first;
    for (const x of all || any) {
      const failed = failedFact(x, subtotal, count, ctx, convert);
      if (all ? failed : !failed) return failed;
      first ||= failed;
    }
    return first;
  }
  const { customer, country } = ctx;
  const have: any =
    fact == "subtotal"
      ? subtotal
      : fact == "itemCount"
        ? count
        : fact == "orderCount"
          ? customer && customer.loggedIn
            ? customer.orderCount || 0
            : undefined
          : fact == "loggedIn"
            ? !!(customer && customer.loggedIn)
            : fact == "country"
              ? country && [country]
              : (customer && customer.tags) || [];
  const want = fact == "subtotal" ? convert(value) : value;
  const ok = have !== undefined && (op == "gte" ? have >= want : op == "lte" ? have <= want : op == "eq" ? have == want : !!have && have.some((v: string) => want.includes(v)) == (op == "in"));
  return ok ? undefined : fact;
}
