// Words for what the engine decided, for the admin preview: why an offer was not shown,
// and money as the merchant reads it. Pure (shared by the server and the browser).
import { minorDigits, type OfferItem, type Placement, type ProductSnapshot, type SkipReason, type VariantSnapshot } from "../engine";
import { PLACEMENT_LABELS } from "./model";

export interface SkipContext {
  placement: Placement;
  placements?: Placement[];
  startsAt?: string | null;
  endsAt?: string | null;
  anchorShare: number;
  maxOffers: number;
  audienceCustomer?: string;
  timezone?: string;
  locale?: string;
}

/** An instant as the merchant reads it, in the shop's time zone (pass it: left out, it
 *  would be the server's or the browser's zone, and pages would disagree). With `zone`, the
 *  zone's short name follows ("Dec 2, 2026, 3:14 AM EST"). */
export function formatDate(iso: string, timezone?: string, locale = "en-US", options: { zone?: boolean } = {}): string {
  const format = options.zone
    ? new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short", timeZone: timezone })
    : new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: timezone });
  return format.format(new Date(iso));
}

export function formatMoney(minor: number, currency: string, locale = "en-US"): string {
  const digits = minorDigits(currency);
  return new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
    minor / 10 ** digits,
  );
}

const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;

/** Why an offer did not show, in the merchant's words. */
export function explainSkip(reason: SkipReason, ctx: SkipContext): string {
  const where = PLACEMENT_LABELS[ctx.placement].toLowerCase();
  switch (reason) {
    case "PLACEMENT": {
      const list = (ctx.placements ?? []).map((p) => PLACEMENT_LABELS[p].toLowerCase()).join(", ");
      return `Not shown on the ${where}${list ? `: it shows on the ${list}` : ""}.`;
    }
    case "DISMISSED":
      return "The shopper dismissed it.";
    case "NOT_STARTED":
      return ctx.startsAt ? `Scheduled: it starts ${formatDate(ctx.startsAt, ctx.timezone, ctx.locale)}.` : "Scheduled: it has not started yet.";
    case "ENDED":
      return ctx.endsAt ? `It ended ${formatDate(ctx.endsAt, ctx.timezone, ctx.locale)}.` : "It has ended.";
    case "NO_TRIGGER":
      return ctx.placement == "product"
        ? "Neither the product being viewed nor the cart holds what triggers it."
        : ctx.placement == "add_to_cart_popup"
          ? "The product just added does not trigger it."
          : "Nothing in the cart triggers it.";
    case "ALREADY_IN_CART":
      return "Everything it offers is already in the cart.";
    case "UNAVAILABLE":
      return "What it offers is sold out.";
    case "OVER_ANCHOR":
      return `What it offers costs more than ${percent(ctx.anchorShare)} of the cart, so it would feel out of proportion (price anchoring).`;
    case "EARNED":
      return "The cart already earns it: the bundle is complete or the top tier is reached.";
    case "LIMIT_REACHED":
      return `Only ${ctx.maxOffers} offer${ctx.maxOffers == 1 ? "" : "s"} show per placement; offers with a higher priority took the places.`;
    case "CONDITION_FAILED:subtotal":
      return "The cart's subtotal is outside the range the offer asks for.";
    case "CONDITION_FAILED:itemCount":
      return "The cart has fewer items than the offer asks for.";
    case "CONDITION_FAILED:orderCount":
      return ctx.audienceCustomer == "returning"
        ? "It is for logged-in returning customers only."
        : ctx.audienceCustomer == "new_or_guest"
          ? "It is for new customers and guests only."
          : "It is for logged-in new customers only (a guest may have ordered before without logging in).";
    case "CONDITION_FAILED:loggedIn":
      return ctx.audienceCustomer == "guest" ? "It is for guests only." : "It is for logged-in customers only.";
    case "CONDITION_FAILED:customerTags":
      return "The customer does not have the tags the offer asks for.";
    case "CONDITION_FAILED:country":
      return "The shopper's country is not one the offer targets.";
  }
  return `Not shown (${reason}).`;
}

/** What a diagnostic means for the merchant. */
export function explainDiagnostic(code: string, message: string, path?: string): string {
  switch (code) {
    case "MISSING_RATE":
      return `No exchange rate is known for this currency (${message}); choose the shop currency or set a rate in Markets.`;
    case "INVALID_RULESET":
      return `The offers could not be compiled: ${path ? `${path} ` : ""}${message}.`;
    case "INVALID_CART":
      return `The sample cart is not valid: ${path ? `${path} ` : ""}${message}.`;
    default:
      return `${message}.`;
  }
}

/** What to show for an offered item: its snapshot's title, variant title and image
 *  (the variant's image, else the product's). */
export function itemDisplay(item: OfferItem): { title?: string; variantTitle?: string; image?: string } {
  // Read both the snapshot references and the flat fields older engines returned.
  const x = item as OfferItem & { product?: ProductSnapshot; variant?: VariantSnapshot; title?: string; variantTitle?: string; image?: string };
  return {
    title: x.product?.title ?? x.title,
    variantTitle: x.variant?.title ?? x.variantTitle,
    image: x.variant?.image ?? x.product?.image ?? x.image,
  };
}

/** Why a frequently-bought-together item was chosen, and the social proof and rating
 *  shoppers see with it: only what the data says (nothing for a manual offer's item). */
export function togetherWords(item: OfferItem, rating?: ProductSnapshot["rating"]): { why?: string; proof?: string; rating?: string } {
  if (!item.source) return {};
  const out: { why?: string; proof?: string; rating?: string } = {};
  const t = item.together;
  out.why =
    item.source == "mined" && t
      ? `Bought together in ${t.orders} order${t.orders == 1 ? "" : "s"} in the last 60 days${t.recent ? ` (${t.recent} this month)` : ""}.`
      : item.source == "pick"
        ? "Your pick: order history did not supply enough products."
        : "Shopify's recommendation: neither order history nor your picks supplied enough products.";
  if (item.proof) out.proof = `Bought together ${item.proof} time${item.proof == 1 ? "" : "s"} this month`;
  if (rating) out.rating = `${rating.value.toFixed(1)} ★ (${rating.count} review${rating.count == 1 ? "" : "s"})`;
  return out;
}
