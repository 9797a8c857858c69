/** @jsxRuntime classic */
/** @jsx createElement */
// (Classic JSX in all three files: createElement takes children as arguments, ~180 bytes
// gzipped fewer than the automatic runtime's `children` props and its jsx-runtime module.)
// Pieces both targets render: a subscription hook (no Preact Signals: ~3 KB gzipped saved;
// the host's signals all have `subscribe`), a guard that renders nothing when our code
// throws (checkout never breaks on our account), and a product row with honest prices.
import { Component, createElement, type ComponentChildren } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import type { Api } from "@shopify/ui-extensions/purchase.checkout.block.render";
import { cartGroup, forGroup, holdoutOf, GROUP_ATTRIBUTE } from "../../../app/analytics/holdout";
import type { OfferItem, Placement } from "../../../app/engine";
import { attributeValue, evaluateLines, merchantTexts, rulesetFrom, togetherFrom, toAmount, type CheckoutLine, type ItemDisplay } from "./offers";

// The standard API both targets share (the thank-you target's has the same fields).
declare const shopify: Api;

interface Subscribable<T> {
  readonly value: T;
  subscribe(fn: (value: T) => void): () => void;
}

/** The signal's current value; re-renders when it changes. */
export function useValue<T>(signal: Subscribable<T>): T {
  const [, rerender] = useState(0);
  useEffect(() => signal.subscribe(() => rerender((n) => n + 1)), [signal]);
  return signal.value;
}

/** No customer signal (an API without buyer identity): a guest. */
const NO_CUSTOMER = { value: undefined, subscribe: () => () => {} };
/** The buyer's customer signal; a host without buyer identity (absent: reading it throws) or
 *  refusing to give it has a guest. */
function customerSignal() {
  try {
    return shopify.buyerIdentity!.customer || NO_CUSTOMER;
  } catch {
    return NO_CUSTOMER;
  }
}

/** What both targets read from checkout, the engine's answer for `placement` (none for a
 *  held-out buyer), and how to say it (the merchant's words in the buyer's language). */
export function useOffers(placement: Placement, dismissed?: string[]) {
  const lines = useValue(shopify.lines) as unknown as CheckoutLine[];
  const metafields = useValue(shopify.appMetafields);
  const ruleset = rulesetFrom(metafields);
  // A logged-in buyer with their order count (Shopify gives the customer only to an app with
  // protected customer data access); anyone else is a guest, whose order count is unknown.
  const buyer = useValue(useMemo(customerSignal, []));
  const customer = useMemo(() => (buyer ? { loggedIn: true, orderCount: buyer.ordersCount || 0 } : undefined), [buyer]);
  // What only surfaces use: the holdout, the merchant's texts, the app's URL.
  const display = ruleset ? (ruleset as { display?: { appUrl?: string; texts?: Record<string, Record<string, unknown>> } }).display : undefined;
  const currency = useValue(shopify.localization.currency).isoCode;
  const country = (useValue(shopify.localization.country) || ({} as { isoCode?: string })).isoCode;
  const language = useValue(shopify.localization.language).isoCode;
  // The holdout: a cart the storefront put in the holdout gets no offers here either.
  const group = cartGroup(attributeValue(useValue(shopify.attributes), GROUP_ATTRIBUTE));
  const evaluation = useMemo(() => {
    // At checkout, frequently-bought-together offers rank by the lines' mined lists (product
    // metafields) and conditions see the customer; the thank-you page decides as the app's
    // follow-up code does (from the order alone).
    const checkout = placement == "checkout";
    const evaluated = evaluateLines(ruleset, lines, currency, placement, {
      now: Date.now(),
      country,
      dismissed,
      together: checkout ? togetherFrom(metafields) : undefined,
      customer: checkout ? customer : undefined,
    });
    return evaluated && forGroup(evaluated, group, holdoutOf(display));
  }, [metafields, lines, currency, country, dismissed, group, customer]);
  return { lines, ruleset, display, currency, country, customer, group, evaluation, f: formatFor(shopify.i18n, currency, merchantTexts(display, language)) };
}

/** Renders nothing instead of an error: a broken offer block must not break checkout. */
export class Guard extends Component<{ children: ComponentChildren }, { failed?: boolean }> {
  // No initial state field (Preact starts it as {}): a class field would need a helper in the
  // es6 bundle.
  componentDidCatch() {
    this.setState({ failed: true });
  }
  render() {
    return this.state.failed ? null : this.props.children;
  }
}

/** What the rows need from the host: translation and money in the buyer's currency. */
export interface Format {
  t: (key: string, options?: Record<string, string | number>) => string;
  money: (minor: number) => string;
  date: (iso: string) => string;
}

/** `texts`: the merchant's words for the buyer's language (offers.ts `merchantTexts`), which
 *  win over the extension's own translations, as on the storefront. */
export function formatFor(
  i18n: { translate: (key: string, options?: any) => any; formatCurrency: (n: number, o?: any) => string; formatDate: (d: Date, o?: any) => string },
  currency: string,
  texts: Record<string, unknown> = {},
): Format {
  return {
    t: (key, options = {}) => {
      const own = texts[key];
      return typeof own == "string" && own.trim() ? own.replace(/\{(\w+)\}/g, (all, name) => (name in options ? String(options[name]) : all)) : i18n.translate(key, options);
    },
    money: (minor) => i18n.formatCurrency(toAmount(minor, currency), { currency }),
    // With its time zone: an end is only honest if the shopper can tell when it is.
    date: (iso) =>
      i18n.formatDate(new Date(iso), { year: "numeric", month: "long", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short" }),
  };
}

/** Price after the offer's discount, and the price before it struck through. */
export function Price({ item, f, each }: { item: OfferItem; f: Format; each?: boolean }) {
  const after = f.money(item.priceAfter);
  return (
    <s-stack direction="inline" gap="small-300">
      <s-text type="strong">{each ? f.t("each", { price: after }) : after}</s-text>
      {item.priceBefore > item.priceAfter && (
        <s-text type="redundant" color="subdued">
          {f.money(item.priceBefore)}
        </s-text>
      )}
    </s-stack>
  );
}

/** A product: thumbnail, title, variant, the caller's details (price), its social proof and
 *  action (button). The proof is the engine's `proof` ("Bought together N times this month"),
 *  present only for a mined item whose count this month reaches the offer's threshold (at
 *  least 1): nothing is shown otherwise, so nothing is invented. */
export function ItemRow(props: { item: OfferItem; display: ItemDisplay; f: Format; children: ComponentChildren; action?: ComponentChildren }) {
  const { item, display, f, children, action } = props;
  return (
    <s-grid gridTemplateColumns="auto 1fr auto" gap="base" alignItems="center">
      <s-product-thumbnail src={display.image || ""} alt={display.title} size="small" />
      <s-stack gap="none">
        <s-text>
          {display.title}
          {item.quantity > 1 ? ` × ${item.quantity}` : ""}
        </s-text>
        {display.variantTitle && <s-text color="subdued">{display.variantTitle}</s-text>}
        {children}
        {item.proof && <s-text color="subdued">{f.t("proof", { count: item.proof })}</s-text>}
      </s-stack>
      {action}
    </s-grid>
  );
}
