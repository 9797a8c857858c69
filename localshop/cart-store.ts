// The local shop's carts, one per visitor (cookie `cart`), shared by the storefront's
// Ajax cart (which writes them) and the local checkout (which reads them). Lines hold
// identifiers and the shopper's choices only; prices always come from the catalog, as on
// Shopify, so nothing a shopper sends can set a price.
import { randomUUID } from "node:crypto";

export interface StoredCartLine {
  /** Stable line key, like cart.js's `key` ("<variant numeric id>:<hash of properties>"). */
  key: string;
  /** Variant GID. */
  variantId: string;
  quantity: number;
  /** Line item properties (storefront) / attributes (checkout), e.g. `_cartlift_offer`. */
  properties: Record<string, string>;
}

export interface StoredCart {
  token: string;
  /** The shopper's presentment currency. */
  currency: string;
  /** The buyer's language (a published shop locale), where the storefront or a checkout URL
   *  set one; the checkout speaks it. */
  locale?: string;
  lines: StoredCartLine[];
  attributes: Record<string, string>;
  /** Discount codes the buyer entered at checkout (kept while they still apply). */
  discountCodes?: string[];
  note: string;
  updatedAt: number;
}

const carts = new Map<string, StoredCart>();

export const CART_COOKIE = "cart";

export function createCart(currency = "USD"): StoredCart {
  const cart: StoredCart = {
    token: randomUUID().replace(/-/g, ""),
    currency,
    lines: [],
    attributes: {},
    note: "",
    updatedAt: Date.now(),
  };
  carts.set(cart.token, cart);
  return cart;
}

export function getCart(token: string | undefined): StoredCart | undefined {
  return token ? carts.get(token) : undefined;
}

export function saveCart(cart: StoredCart): StoredCart {
  cart.updatedAt = Date.now();
  carts.set(cart.token, cart);
  return cart;
}

export function deleteCart(token: string): void {
  carts.delete(token);
}

/** Reads the cart token from a Cookie header. */
export function cartTokenFromCookie(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === CART_COOKIE) return decodeURIComponent(rest.join("="));
  }
  return undefined;
}
