// The custom events Cartlift's surfaces publish for its web pixel, and what the pixel makes
// of them. Pure (no DOM, no I/O): the storefront script, the checkout extension and the
// pixel (extensions/cartlift-pixel) import it, so the names and shapes cannot drift.
//
// The storefront publishes with `Shopify.analytics.publish(name, data)`, the checkout
// extension with `shopify.analytics.publish(name, data)`; Shopify hands each to the pixel as
// a custom event whose `customData` is `data`. The pixel maps it to one ingest event
// (app/routes/api.events.tsx): `{ id, type, offerId, placement, group, at }`, where `id` is
// the customer event's own id (Shopify gives every event one), so the server counts an event
// the pixel had to send again only once.
export const PIXEL_EVENT_PREFIX = "cartlift:";

/** What a shopper did with an offer, plus the once-per-session visitor marker. */
export const OFFER_EVENT_KINDS = ["impression", "click", "accept", "dismiss"] as const;
export type OfferEventKind = (typeof OFFER_EVENT_KINDS)[number];
export type CartliftEventKind = OfferEventKind | "session";

/** `customData` of a Cartlift custom event. */
export interface CartliftEventData {
  offerId?: string;
  /** Where the offer showed: product, cart, drawer, add_to_cart_popup, checkout, thank_you. */
  placement?: string;
  /** The shopper's holdout group: "treatment" | "holdout" (anything else counts as "none"). */
  group?: string;
}

export const eventName = (kind: CartliftEventKind) => PIXEL_EVENT_PREFIX + kind;

/** One event as the ingest route takes it. */
export interface IngestEvent {
  /** Shopify's id of the customer event. */
  id?: string;
  type: OfferEventKind | "session" | "checkout_started" | "checkout_completed";
  offerId?: string;
  placement?: string;
  group: string;
  at: string;
}

const KINDS = new Set<string>([...OFFER_EVENT_KINDS, "session"]);
const GROUPS = new Set(["treatment", "holdout"]);
const groupOf = (value: unknown) => (typeof value == "string" && GROUPS.has(value) ? value : "none");
const text = (value: unknown, max: number) => (typeof value == "string" && value.length <= max ? value : undefined);
const idOf = (event: { id?: unknown }) => (text(event.id, 64) ? { id: event.id as string } : {});

/** A Cartlift custom event as an ingest event; null for anything else (other apps' events). */
export function fromCustomEvent(event: { id?: unknown; name?: unknown; customData?: unknown; timestamp?: unknown }): IngestEvent | null {
  if (typeof event.name != "string" || !event.name.startsWith(PIXEL_EVENT_PREFIX)) return null;
  const kind = event.name.slice(PIXEL_EVENT_PREFIX.length);
  if (!KINDS.has(kind)) return null;
  const data = (typeof event.customData == "object" && event.customData ? event.customData : {}) as CartliftEventData;
  const offerId = text(data.offerId, 64);
  if (kind != "session" && !offerId) return null;
  return {
    ...idOf(event),
    type: kind as IngestEvent["type"],
    ...(kind != "session" ? { offerId, placement: text(data.placement, 32) } : {}),
    group: groupOf(data.group),
    at: typeof event.timestamp == "string" ? event.timestamp : new Date().toISOString(),
  };
}

/** Shopify's standard checkout events as the guardrail's markers; the group is the cart's
 *  `_cartlift_group` attribute (a checkout without one counts apart). */
export function fromCheckoutEvent(event: { id?: unknown; name?: unknown; data?: unknown; timestamp?: unknown }): IngestEvent | null {
  if (event.name != "checkout_started" && event.name != "checkout_completed") return null;
  const checkout = (event.data as { checkout?: { attributes?: Array<{ key?: unknown; value?: unknown }> } } | undefined)?.checkout;
  const group = checkout?.attributes?.find((a) => a.key == "_cartlift_group")?.value;
  return { ...idOf(event), type: event.name as "checkout_started" | "checkout_completed", group: groupOf(group), at: typeof event.timestamp == "string" ? event.timestamp : new Date().toISOString() };
}
