// Order and refund webhook payloads in the shape Shopify sends them (REST webhook
// payloads, Admin API 2026-10: orders/create, orders/updated, orders/cancelled carry the
// whole order; refunds/create the refund). Only the builders' inputs vary; every field
// Shopify sends that Cartlift ignores is still present, so parsing is tested on the real
// shape, not a trimmed one.

export interface LineInput {
  id: number;
  productId: number;
  variantId: number;
  price: string;
  quantity: number;
  /** Discount allocated to the line (shop currency), e.g. "2.90". */
  discount?: string;
  offer?: string;
  title?: string;
}

export interface OrderInput {
  id: number;
  lines: LineInput[];
  group?: "treatment" | "holdout" | string | null;
  currency?: string;
  presentmentCurrency?: string;
  /** Presentment units per shop unit (e.g. 0.92 EUR per USD). */
  rate?: number;
  createdAt?: string;
  updatedAt?: string;
  cancelledAt?: string | null;
  refunds?: unknown[];
  customerId?: number;
}

const money = (amount: string, currency: string, presentment: string, rate: number) => ({
  shop_money: { amount, currency_code: currency },
  presentment_money: { amount: (Number(amount) * rate).toFixed(presentment === "JPY" || presentment === "KRW" ? 0 : 2), currency_code: presentment },
});

export function orderPayload(input: OrderInput) {
  const currency = input.currency ?? "USD";
  const presentment = input.presentmentCurrency ?? currency;
  const rate = input.rate ?? 1;
  const createdAt = input.createdAt ?? "2026-11-30T10:15:00-05:00";
  const m = (amount: string) => money(amount, currency, presentment, rate);
  const subtotal = input.lines.reduce((sum, l) => sum + Number(l.price) * l.quantity - Number(l.discount ?? 0), 0).toFixed(2);
  const discounts = input.lines.reduce((sum, l) => sum + Number(l.discount ?? 0), 0).toFixed(2);
  const tax = "0.00";
  const shipping = "5.00";
  const total = (Number(subtotal) + Number(shipping)).toFixed(2);
  return {
    id: input.id,
    admin_graphql_api_id: `gid://shopify/Order/${input.id}`,
    app_id: 580111,
    browser_ip: "203.0.113.7",
    buyer_accepts_marketing: false,
    cancel_reason: input.cancelledAt ? "customer" : null,
    cancelled_at: input.cancelledAt ?? null,
    cart_token: "Z2NwLXVzLWVhc3QxOjAxSEpUN1pTMEI1MkNaV1JQNjFNNkFRQzBH",
    checkout_id: 9012345678,
    checkout_token: "1b2c3d4e5f",
    client_details: { accept_language: "en-US", browser_height: null, browser_ip: "203.0.113.7", browser_width: null, session_hash: null, user_agent: "Mozilla/5.0" },
    closed_at: null,
    confirmation_number: "X4M2PZQ8K",
    confirmed: true,
    contact_email: "ada@example.com",
    created_at: createdAt,
    currency,
    current_subtotal_price: subtotal,
    current_subtotal_price_set: m(subtotal),
    current_total_discounts: discounts,
    current_total_discounts_set: m(discounts),
    current_total_price: total,
    current_total_price_set: m(total),
    current_total_tax: tax,
    current_total_tax_set: m(tax),
    customer_locale: "en",
    discount_codes: [],
    email: "ada@example.com",
    estimated_taxes: false,
    financial_status: "paid",
    fulfillment_status: null,
    landing_site: "/",
    name: `#${input.id % 100000}`,
    note: null,
    note_attributes: input.group === null || input.group === undefined ? [] : [{ name: "_cartlift_group", value: input.group }],
    number: input.id % 100000,
    order_number: 1000 + (input.id % 100000),
    order_status_url: `https://cartlift-demo.myshopify.com/orders/${input.id}/authenticate?key=abc`,
    payment_gateway_names: ["bogus"],
    phone: null,
    presentment_currency: presentment,
    processed_at: createdAt,
    source_name: "web",
    subtotal_price: subtotal,
    subtotal_price_set: m(subtotal),
    tags: "",
    tax_lines: [],
    taxes_included: false,
    test: false,
    token: "f1e2d3c4b5a6",
    total_discounts: discounts,
    total_discounts_set: m(discounts),
    total_line_items_price: input.lines.reduce((sum, l) => sum + Number(l.price) * l.quantity, 0).toFixed(2),
    total_line_items_price_set: m(input.lines.reduce((sum, l) => sum + Number(l.price) * l.quantity, 0).toFixed(2)),
    total_price: total,
    total_price_set: m(total),
    total_shipping_price_set: m(shipping),
    total_tax: tax,
    total_tax_set: m(tax),
    total_tip_received: "0.00",
    total_weight: 0,
    updated_at: input.updatedAt ?? createdAt,
    user_id: null,
    billing_address: { first_name: "Ada", last_name: "Lovelace", address1: "1 Analytical Way", city: "London", zip: "N1 9GU", country_code: "GB" },
    customer: input.customerId ? { id: input.customerId, email: "ada@example.com", first_name: "Ada", last_name: "Lovelace", admin_graphql_api_id: `gid://shopify/Customer/${input.customerId}` } : null,
    discount_applications: input.lines.some((l) => l.discount)
      ? [{ target_type: "line_item", type: "automatic", value: "10.0", value_type: "percentage", allocation_method: "each", target_selection: "entitled", title: "Cartlift" }]
      : [],
    fulfillments: [],
    line_items: input.lines.map((l) => ({
      id: l.id,
      admin_graphql_api_id: `gid://shopify/LineItem/${l.id}`,
      current_quantity: l.quantity,
      fulfillable_quantity: l.quantity,
      fulfillment_service: "manual",
      fulfillment_status: null,
      gift_card: false,
      grams: 0,
      name: l.title ?? `Product ${l.productId}`,
      price: l.price,
      price_set: m(l.price),
      product_exists: true,
      product_id: l.productId,
      properties: l.offer ? [{ name: "_cartlift_offer", value: l.offer }] : [],
      quantity: l.quantity,
      requires_shipping: true,
      sku: `SKU-${l.variantId}`,
      taxable: true,
      title: l.title ?? `Product ${l.productId}`,
      total_discount: "0.00",
      total_discount_set: m("0.00"),
      variant_id: l.variantId,
      variant_inventory_management: "shopify",
      variant_title: null,
      vendor: "Cartlift Demo",
      tax_lines: [],
      duties: [],
      discount_allocations: l.discount ? [{ amount: l.discount, amount_set: m(l.discount), discount_application_index: 0 }] : [],
    })),
    payment_terms: null,
    refunds: input.refunds ?? [],
    shipping_address: { first_name: "Ada", last_name: "Lovelace", address1: "1 Analytical Way", city: "London", zip: "N1 9GU", country_code: "GB" },
    shipping_lines: [{ id: 271878346596, code: "Standard", price: shipping, price_set: m(shipping), discounted_price: shipping, discounted_price_set: m(shipping), source: "shopify", title: "Standard", tax_lines: [], discount_allocations: [] }],
  };
}

export interface RefundInput {
  id: number;
  orderId: number;
  lines: Array<{ lineId: number; quantity: number; subtotal: string }>;
  currency?: string;
  createdAt?: string;
}

/** refunds/create: the refund with its refund line items (subtotal = the line's refunded revenue after discounts). */
export function refundPayload(input: RefundInput) {
  const currency = input.currency ?? "USD";
  const createdAt = input.createdAt ?? "2026-12-01T09:00:00-05:00";
  const m = (amount: string) => ({ shop_money: { amount, currency_code: currency }, presentment_money: { amount, currency_code: currency } });
  const amount = input.lines.reduce((sum, l) => sum + Number(l.subtotal), 0).toFixed(2);
  return {
    id: input.id,
    admin_graphql_api_id: `gid://shopify/Refund/${input.id}`,
    created_at: createdAt,
    note: "Returned",
    order_id: input.orderId,
    processed_at: createdAt,
    restock: true,
    total_duties_set: m("0.00"),
    user_id: 548380009,
    order_adjustments: [],
    transactions: [
      { id: input.id + 1, admin_graphql_api_id: `gid://shopify/OrderTransaction/${input.id + 1}`, amount, authorization: null, created_at: createdAt, currency, gateway: "bogus", kind: "refund", order_id: input.orderId, parent_id: 1, status: "success", test: false },
    ],
    refund_line_items: input.lines.map((l, i) => ({
      id: input.id * 10 + i,
      line_item_id: l.lineId,
      location_id: 24826418,
      quantity: l.quantity,
      restock_type: "return",
      subtotal: Number(l.subtotal),
      subtotal_set: m(l.subtotal),
      total_tax: 0,
      total_tax_set: m("0.00"),
      line_item: { id: l.lineId, admin_graphql_api_id: `gid://shopify/LineItem/${l.lineId}`, quantity: l.quantity },
    })),
    duties: [],
  };
}
