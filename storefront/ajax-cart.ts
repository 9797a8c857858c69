// The Ajax Cart API's shapes (the subset Cartlift reads), as /cart.js returns them.
// Money fields are cents (see money.ts); ids are numbers; `key` identifies a line.

export interface AjaxCartItem {
  id: number;
  key: string;
  variant_id: number;
  product_id: number;
  quantity: number;
  /** Unit price after line-level discounts. */
  price: number;
  /** Unit price before discounts. */
  original_price: number;
  final_price: number;
  line_price: number;
  final_line_price: number;
  properties: Record<string, string> | null;
  title: string;
  product_title: string;
  variant_title: string | null;
  vendor: string;
  product_type: string;
  handle: string;
  url: string;
  image: string | null;
  /** false for what is never shipped (a digital good, food for pickup). */
  requires_shipping?: boolean;
}

export interface AjaxCart {
  token: string;
  currency: string;
  item_count: number;
  total_price: number;
  original_total_price: number;
  total_discount: number;
  /** Cart attributes (`_cartlift_declined`: the offers the shopper declined; `_cartlift_group`). */
  attributes?: Record<string, string> | null;
  items: AjaxCartItem[];
}

/** One line to add, as /cart/add.js takes it. */
export interface AjaxAddItem {
  id: number;
  quantity: number;
  properties?: Record<string, string>;
}
