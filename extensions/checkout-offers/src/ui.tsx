/** @jsxImportSource preact */
// Pieces both targets render: a subscription hook (no Preact Signals: ~3 KB gzipped saved;
// the host's signals all have `subscribe`), a guard that renders nothing when our code
// throws (checkout never breaks on our account), and a product row with honest prices.
import { Component, type ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { OfferItem } from "../../../app/engine";
import { toAmount, type ItemDisplay } from "./offers";

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

/** Renders nothing instead of an error: a broken offer block must not break checkout. */
export class Guard extends Component<{ children: ComponentChildren }, { failed: boolean }> {
  state = { failed: false };
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
  texts: Record<string, string> = {},
): Format {
  return {
    t: (key, options = {}) =>
      key in texts ? texts[key].replace(/\{\{\s*(\w+)\s*\}\}/g, (all, name) => (name in options ? String(options[name]) : all)) : String(i18n.translate(key, options)),
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
      <s-text type="strong">{each ? f.t("offer.each", { price: after }) : after}</s-text>
      {item.priceBefore > item.priceAfter && (
        <s-text type="redundant" color="subdued">
          {f.money(item.priceBefore)}
        </s-text>
      )}
    </s-stack>
  );
}

/** A product: thumbnail, title, variant, the caller's details (price) and action (button). */
export function ItemRow(props: { item: OfferItem; display: ItemDisplay; children: ComponentChildren; action?: ComponentChildren }) {
  const { item, display, children, action } = props;
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
      </s-stack>
      {action}
    </s-grid>
  );
}
