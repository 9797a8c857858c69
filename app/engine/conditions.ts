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

/** The first failing fact, or undefined when the condition holds. */
export function failedFact(c: Condition, f: Facts): Fact | undefined {
  if ("all" in c && c.all) {
    for (const x of c.all) {
      const failed = failedFact(x, f);
      if (failed) return failed;
    }
    return;
  }
  if ("any" in c && c.any) {
    let first: Fact | undefined;
    for (const x of c.any) {
      const failed = failedFact(x, f);
      if (!failed) return;
      first ||= failed;
    }
    return first;
  }
  const leaf = c as Extract<Condition, { fact: string }>;
  const customer = f.ctx.customer;
  let ok: boolean;
  if (leaf.fact == "loggedIn") ok = !!customer?.loggedIn == leaf.value;
  else if (leaf.fact == "customerTags" || leaf.fact == "country") {
    const have = leaf.fact == "country" ? (f.ctx.country ? [f.ctx.country] : undefined) : customer?.tags || [];
    ok = !!have && have.some((v) => leaf.value.includes(v)) == (leaf.op == "in");
  } else {
    const have = leaf.fact == "subtotal" ? f.subtotal : leaf.fact == "itemCount" ? f.count : customer?.orderCount || 0;
    const want = leaf.fact == "subtotal" ? convertMinor(leaf.value as number, f.shopCurrency, f.cur, f.rate) : (leaf.value as number);
    ok = leaf.op == "gte" ? have >= want : leaf.op == "lte" ? have <= want : have == want;
  }
  return ok ? undefined : leaf.fact;
}
