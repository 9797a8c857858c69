// Prices lines the shopper may add (a bundle, a frequently-bought-together selection, a
// quantity tier) by asking the engine what the cart would earn with them. Pure.
// Invariant: the saving shown is the engine's own discount on the would-be cart minus
// what the cart earns today, so the product page promises exactly what the discount
// function will give (a bundle completed with lines already in the cart included).
import { evaluate } from "../app/engine/evaluate";
import type { Cart, CartLine, Context, Ruleset } from "../app/engine/types";

export interface QuoteLine {
  productId: string;
  /** Facts a trigger may match on (the product on screen has them; cart.js lines do not). */
  tags?: string[];
  collectionIds?: string[];
  vendor?: string;
  productType?: string;
  variantId: string;
  quantity: number;
  /** Cart minor units, before discounts. */
  unitPrice: number;
  offerId?: string;
}

export interface Quote {
  /** What the lines add to the cart total, after discounts (cart minor units). */
  total: number;
  /** Before discounts. */
  before: number;
  saving: number;
}

const discountTotal = (ruleset: Ruleset, cart: Cart, context: Context) =>
  evaluate(ruleset, cart, context).discounts.reduce((s, d) => s + (d.kind == "lineDiscount" ? d.amount : 0), 0);

export function quote(ruleset: Ruleset, cart: Cart, context: Context, lines: QuoteLine[]): Quote {
  const before = lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0);
  const added: CartLine[] = lines.map((l, i) => ({ ...l, id: "quote:" + i }));
  const ctx = { ...context, placement: "cart" as const, addedLineId: undefined };
  const saving = Math.max(0, discountTotal(ruleset, { ...cart, lines: [...cart.lines, ...added] }, ctx) - discountTotal(ruleset, cart, ctx));
  return { total: before - saving, before, saving };
}
