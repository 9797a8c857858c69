// The local shop's webhooks, as Shopify sends them: for every order placed through the
// local checkout (`orders/create`), every refund made in the shop (`refunds/create`), every
// product the merchant edits (`products/update`, see `setProductTags`), every collection
// whose products change (`collections/update`, or `products/update` when changed from the
// product's page: `setInCollection`) and every bulk operation that finishes (`bulk_operations/finish`), a POST to the app's route with the REST payload (Admin API 2026-10 shape), Shopify's
// headers and an HMAC-SHA256 of the body with the app's secret. At least once: a failed
// delivery is retried with backoff, and now and then (`redeliveryRate`) a delivered
// webhook is sent again with the same X-Shopify-Webhook-Id, as Shopify does.
//
// The payloads are built here from the shop's own records (a double never imports the
// code it stands in for: nothing from app/analytics).
import { createHmac, randomUUID } from "node:crypto";
import type http from "node:http";
import { getCurrencyRate, gidTail, minorUnitsToAmount, amountToMinorUnits, onLocalShopEvent, type LocalShopEvent, type LocalShopState, type OrderRecord, type ProductRecord, type CollectionRecord } from "./state";

export interface WebhookSenderOptions {
  /** The app's URL; topics go to `${appUrl}/webhooks/<topic>`. */
  appUrl: string;
  /** The app's secret (read when sending: the app may set it after the shop starts). */
  secret: () => string;
  /** Share of delivered webhooks sent a second time. Default 0.05. */
  redeliveryRate?: number;
  random?: () => number;
  /** Attempts before giving up (Shopify retries 8 times over 4 hours). Default 6. */
  attempts?: number;
  /** First retry delay in ms (doubles each time). Default 200. */
  backoffMs?: number;
  fetch?: typeof fetch;
  /** A subscription's `include_fields` by topic (shopify.app.toml): only those top-level fields are sent. */
  includeFields?: Record<string, string[]>;
}

export interface RefundLineInput {
  lineItemId: string;
  quantity: number;
}

export interface RefundRecord {
  id: number;
  orderId: string;
  createdAt: string;
  lines: Array<{ lineItemId: string; quantity: number; subtotal: string }>;
}

export interface WebhookSender {
  /** Deliveries not yet answered with 2xx (for tests: wait until 0). */
  pending(): number;
  /** Every delivery attempt's outcome, in order. */
  log: Array<{ topic: string; webhookId: string; status: number | "error"; redelivery: boolean }>;
  refund(orderGid: string, lines?: RefundLineInput[]): RefundRecord;
  /** Sends a delivered webhook again with the same X-Shopify-Webhook-Id (the last one of
   *  `topic` when no id is given), as Shopify's at-least-once delivery may; resolves with
   *  the app's answer. */
  redeliver(options?: { webhookId?: string; topic?: string }): Promise<{ webhookId: string; topic: string; status: number | "error" } | null>;
  stop(): void;
}

const numeric = (gid: string | null | undefined): number | null => {
  const tail = gid ? gidTail(gid) : null;
  return tail && /^\d+$/.test(tail) ? Number(tail) : null;
};

/** "2026-11-30T10:15:00-05:00": the instant in the shop's time zone, as Shopify's REST writes it. */
export function shopTimestamp(iso: string, timeZone: string): string {
  const date = new Date(iso);
  try {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "longOffset" })
        .formatToParts(date)
        .map((p) => [p.type, p.value]),
    );
    const offset = parts.timeZoneName === "GMT" ? "+00:00" : String(parts.timeZoneName).replace("GMT", "");
    return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
  } catch {
    return date.toISOString().replace(/\.\d{3}Z$/, "+00:00");
  }
}

function moneySet(amount: string, currency: string, presentment: string, rate: number) {
  const digits = presentment === "JPY" || presentment === "KRW" ? 0 : 2;
  return { shop_money: { amount, currency_code: currency }, presentment_money: { amount: (Number(amount) * rate).toFixed(digits), currency_code: presentment } };
}

/** The REST order payload of orders/create for a local order. */
export function orderPayload(state: LocalShopState, order: OrderRecord, refunds: RefundRecord[] = []) {
  const shop = state.data.shop;
  const currency = order.currencyCode;
  const presentment = order.presentmentCurrencyCode;
  const rate = presentment === currency ? 1 : (getCurrencyRate(state, presentment) ?? 1);
  const m = (amount: string) => moneySet(amount, currency, presentment, rate);
  const at = shopTimestamp(order.createdAt, shop.ianaTimezone);
  const id = numeric(order.id)!;
  const lineTotal = order.lineItems.reduce((s, l) => s + amountToMinorUnits(l.originalUnitPrice, currency) * l.quantity, 0);
  return {
    id,
    admin_graphql_api_id: order.id,
    app_id: null,
    cancelled_at: order.cancelledAt ? shopTimestamp(order.cancelledAt, shop.ianaTimezone) : null,
    cancel_reason: order.cancelledAt ? "customer" : null,
    confirmed: true,
    contact_email: order.email,
    created_at: at,
    currency,
    current_subtotal_price: order.subtotalPrice,
    current_subtotal_price_set: m(order.subtotalPrice),
    current_total_price: order.totalPrice,
    current_total_price_set: m(order.totalPrice),
    email: order.email,
    financial_status: (order.displayFinancialStatus ?? "PAID").toLowerCase(),
    name: order.name,
    note: order.note,
    note_attributes: order.customAttributes.map((a) => ({ name: a.key, value: a.value })),
    number: Number(order.name.replace(/\D/g, "")) - 1000,
    order_number: Number(order.name.replace(/\D/g, "")),
    presentment_currency: presentment,
    processed_at: at,
    source_name: "web",
    subtotal_price: order.subtotalPrice,
    subtotal_price_set: m(order.subtotalPrice),
    tags: order.tags.join(", "),
    test: false,
    total_discounts: order.totalDiscounts,
    total_discounts_set: m(order.totalDiscounts),
    total_line_items_price: minorUnitsToAmount(lineTotal, currency),
    total_line_items_price_set: m(minorUnitsToAmount(lineTotal, currency)),
    total_price: order.totalPrice,
    total_price_set: m(order.totalPrice),
    total_tax: "0.00",
    total_tax_set: m("0.00"),
    updated_at: at,
    customer: null,
    line_items: order.lineItems.map((line) => ({
      id: numeric(line.id),
      admin_graphql_api_id: line.id,
      current_quantity: line.quantity,
      fulfillable_quantity: line.quantity,
      gift_card: false,
      name: line.variantTitle ? `${line.title} - ${line.variantTitle}` : line.title,
      price: line.originalUnitPrice,
      price_set: m(line.originalUnitPrice),
      product_exists: true,
      product_id: numeric(line.productId),
      properties: line.customAttributes.map((a) => ({ name: a.key, value: a.value })),
      quantity: line.quantity,
      requires_shipping: true,
      sku: line.sku,
      taxable: true,
      title: line.title,
      total_discount: "0.00",
      total_discount_set: m("0.00"),
      variant_id: numeric(line.variantId),
      variant_title: line.variantTitle,
      vendor: null,
      tax_lines: [],
      discount_allocations:
        amountToMinorUnits(line.totalDiscount, currency) > 0
          ? [{ amount: line.totalDiscount, amount_set: m(line.totalDiscount), discount_application_index: 0 }]
          : [],
    })),
    refunds: refunds.map((r) => refundPayload(state, r, order)),
    shipping_lines: [],
  };
}

export function refundPayload(state: LocalShopState, refund: RefundRecord, order: OrderRecord) {
  const currency = order.currencyCode;
  const m = (amount: string) => ({ shop_money: { amount, currency_code: currency }, presentment_money: { amount, currency_code: currency } });
  const at = shopTimestamp(refund.createdAt, state.data.shop.ianaTimezone);
  const total = minorUnitsToAmount(refund.lines.reduce((s, l) => s + amountToMinorUnits(l.subtotal, currency), 0), currency);
  return {
    id: refund.id,
    admin_graphql_api_id: `gid://shopify/Refund/${refund.id}`,
    created_at: at,
    processed_at: at,
    note: null,
    order_id: numeric(order.id),
    restock: true,
    user_id: null,
    order_adjustments: [],
    transactions: [{ id: refund.id * 10, amount: total, currency, kind: "refund", status: "success", gateway: "bogus", order_id: numeric(order.id), created_at: at, test: false }],
    refund_line_items: refund.lines.map((l, i) => ({
      id: refund.id * 100 + i,
      line_item_id: numeric(l.lineItemId),
      quantity: l.quantity,
      restock_type: "return",
      location_id: null,
      subtotal: Number(l.subtotal),
      subtotal_set: m(l.subtotal),
      total_tax: 0,
      total_tax_set: m("0.00"),
    })),
    duties: [],
  };
}

/** The bulk_operations/finish payload (Shopify's webhook reference): flat, the enums in lower case. */
export function bulkOperationPayload(state: LocalShopState, op: Extract<LocalShopEvent, { topic: "bulk_operations/finish" }>["operation"]) {
  const zone = state.data.shop.ianaTimezone;
  return {
    admin_graphql_api_id: op.id,
    completed_at: op.completedAt ? shopTimestamp(op.completedAt, zone) : null,
    created_at: shopTimestamp(op.createdAt, zone),
    error_code: op.errorCode ? op.errorCode.toLowerCase() : null,
    status: op.status.toLowerCase(),
    type: op.type.toLowerCase(),
  };
}

/** The app's subscriptions' `include_fields` (shopify.app.toml; a test holds the two equal). */
export const APP_INCLUDE_FIELDS: Record<string, string[]> = { "products/update": ["id", "tags", "updated_at"], "collections/update": ["id", "updated_at"] };

/** Only the subscription's `include_fields`, when it names some. */
const included = (full: Record<string, unknown>, fields?: string[]) => (fields?.length ? Object.fromEntries(Object.entries(full).filter(([k]) => fields.includes(k))) : full);

/** The REST collection payload of collections/update (a custom collection's). */
export function collectionPayload(state: LocalShopState, collection: CollectionRecord, includeFields?: string[]) {
  const zone = state.data.shop.ianaTimezone;
  return included(
    {
      id: numeric(collection.id),
      admin_graphql_api_id: collection.id,
      handle: collection.handle,
      title: collection.title,
      body_html: collection.descriptionHtml,
      updated_at: shopTimestamp(collection.updatedAt, zone),
      published_at: shopTimestamp(collection.updatedAt, zone),
      sort_order: "manual",
      template_suffix: null,
      published_scope: "web",
    },
    includeFields,
  );
}

/** The REST product payload of products/update (tags as one comma-separated string, as
 *  Shopify's REST writes them), cut to `includeFields` when the subscription names some. */
export function productPayload(state: LocalShopState, product: ProductRecord, includeFields?: string[]) {
  const zone = state.data.shop.ianaTimezone;
  const full: Record<string, unknown> = {
    id: numeric(product.id),
    admin_graphql_api_id: product.id,
    title: product.title,
    handle: product.handle,
    body_html: product.descriptionHtml,
    vendor: product.vendor,
    product_type: product.productType,
    status: product.status.toLowerCase(),
    tags: product.tags.join(", "),
    created_at: shopTimestamp(product.createdAt, zone),
    updated_at: shopTimestamp(product.updatedAt, zone),
    published_at: product.publishedAt ? shopTimestamp(product.publishedAt, zone) : null,
    variants: product.variantIds.map((id) => {
      const v = state.data.variants.find((x) => x.id === id);
      return { id: numeric(id), admin_graphql_api_id: id, product_id: numeric(product.id), title: v?.title ?? null, price: v?.price ?? null, sku: v?.sku ?? null };
    }),
  };
  return included(full, includeFields);
}

export function startWebhookSender(state: LocalShopState, options: WebhookSenderOptions): WebhookSender {
  const random = options.random ?? Math.random;
  const redeliveryRate = options.redeliveryRate ?? 0.05;
  const attempts = options.attempts ?? 6;
  const backoff = options.backoffMs ?? 200;
  const send = options.fetch ?? fetch;
  const refunds = new Map<string, RefundRecord[]>();
  const timers = new Set<NodeJS.Timeout>();
  let inFlight = 0;
  let stopped = false;
  let nextRefundId = 7_300_001;
  const log: WebhookSender["log"] = [];
  /** What was sent, by webhook id (the latest 200), for redeliveries. */
  const sent = new Map<string, { topic: string; payload: unknown }>();

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  function deliver(topic: string, payload: unknown, webhookId: string = randomUUID(), attempt = 1, redelivery = false): Promise<number | "error"> {
    if (stopped) return Promise.resolve("error");
    inFlight++;
    sent.set(webhookId, { topic, payload });
    if (sent.size > 200) sent.delete(sent.keys().next().value!);
    const body = JSON.stringify(payload);
    const hmac = createHmac("sha256", options.secret()).update(body, "utf8").digest("base64");
    return send(`${options.appUrl}/webhooks/${topic}`, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "x-shopify-topic": topic,
        "x-shopify-shop-domain": state.data.shop.myshopifyDomain,
        "x-shopify-hmac-sha256": hmac,
        "x-shopify-webhook-id": webhookId,
        "x-shopify-event-id": randomUUID(),
        "x-shopify-api-version": "2026-10",
        "x-shopify-triggered-at": new Date().toISOString(),
      },
    })
      .then(
        async (response) => {
          await response.arrayBuffer().catch(() => undefined);
          log.push({ topic, webhookId, status: response.status, redelivery });
          if (response.ok) {
            if (!redelivery && random() < redeliveryRate) later(50 + random() * 500, () => deliver(topic, payload, webhookId, 1, true));
          } else if (attempt < attempts) later(backoff * 2 ** (attempt - 1), () => deliver(topic, payload, webhookId, attempt + 1, redelivery));
          return response.status;
        },
        () => {
          log.push({ topic, webhookId, status: "error", redelivery });
          if (attempt < attempts) later(backoff * 2 ** (attempt - 1), () => deliver(topic, payload, webhookId, attempt + 1, redelivery));
          return "error" as const;
        },
      )
      .finally(() => inFlight--);
  }

  const unsubscribe = onLocalShopEvent(state, (event) => {
    if (event.topic === "orders/create") deliver("orders/create", orderPayload(state, event.order));
    if (event.topic === "bulk_operations/finish") deliver("bulk_operations/finish", bulkOperationPayload(state, event.operation));
    if (event.topic === "products/update") deliver("products/update", productPayload(state, event.product, options.includeFields?.["products/update"]));
    if (event.topic === "collections/update") deliver("collections/update", collectionPayload(state, event.collection, options.includeFields?.["collections/update"]));
  });

  return {
    log,
    pending: () => inFlight + timers.size,
    refund(orderGid, lines) {
      const order = state.data.orders.find((o) => o.id === orderGid);
      if (!order) throw new Error(`No order ${orderGid}`);
      const currency = order.currencyCode;
      const chosen = lines ?? order.lineItems.map((l) => ({ lineItemId: l.id, quantity: l.quantity }));
      const refund: RefundRecord = {
        id: nextRefundId++,
        orderId: order.id,
        createdAt: new Date().toISOString(),
        lines: chosen.map(({ lineItemId, quantity }) => {
          const line = order.lineItems.find((l) => l.id === lineItemId);
          if (!line) throw new Error(`No line ${lineItemId} in ${orderGid}`);
          if (!Number.isInteger(quantity) || quantity < 1 || quantity > line.quantity) throw new Error(`Cannot refund ${quantity} of ${line.quantity}`);
          // The line's revenue after discounts, for the refunded share of its quantity.
          const lineMinor = amountToMinorUnits(line.originalUnitPrice, currency) * line.quantity - amountToMinorUnits(line.totalDiscount, currency);
          return { lineItemId, quantity, subtotal: minorUnitsToAmount(Math.round((lineMinor * quantity) / line.quantity), currency) };
        }),
      };
      refunds.set(order.id, [...(refunds.get(order.id) ?? []), refund]);
      order.displayFinancialStatus = "PARTIALLY_REFUNDED";
      deliver("refunds/create", refundPayload(state, refund, order));
      return refund;
    },
    async redeliver({ webhookId, topic } = {}) {
      const id = webhookId ?? [...log].reverse().find((l) => l.status != "error" && (!topic || l.topic == topic))?.webhookId;
      const entry = id ? sent.get(id) : undefined;
      if (!id || !entry) return null;
      return { webhookId: id, topic: entry.topic, status: await deliver(entry.topic, entry.payload, id, 1, true) };
    },
    stop() {
      stopped = true;
      unsubscribe();
      timers.forEach(clearTimeout);
      timers.clear();
    },
  };
}

/**
 * POST /localshop/orders/<numeric id>/refund, body `{ lines?: [{ lineItemId, quantity }] }`
 * (omitted: the whole order): the merchant refunding in the shop's admin.
 */
export async function handleRefundRequest(req: http.IncomingMessage, res: http.ServerResponse, sender: WebhookSender | undefined): Promise<boolean> {
  if (req.url == "/localshop/webhooks/redeliver" && req.method === "POST") {
    // Body `{ webhookId?, topic? }`: send a delivered webhook again (at-least-once delivery).
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    try {
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
      const outcome = await sender?.redeliver({ webhookId: typeof body.webhookId == "string" ? body.webhookId : undefined, topic: typeof body.topic == "string" ? body.topic : undefined });
      if (!outcome) res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "No such delivered webhook" }));
      else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(outcome));
    } catch (error) {
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: (error as Error).message }));
    }
    return true;
  }
  const match = /^\/localshop\/orders\/(\d+)\/refund$/.exec(req.url ?? "");
  if (!match || req.method !== "POST") return false;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    if (!sender) throw new Error("webhooks are off in this local shop");
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
    const refund = sender.refund(`gid://shopify/Order/${match[1]}`, Array.isArray(body.lines) ? body.lines : undefined);
    res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify(refund));
  } catch (error) {
    res.writeHead(422, { "content-type": "application/json" }).end(JSON.stringify({ error: (error as Error).message }));
  }
  return true;
}
