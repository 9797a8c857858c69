/** @jsxRuntime classic */
/** @jsx createElement */
// Checkout targets (cart-line-list.render-after, block.render): the engine's offers for the
// checkout lines (add-on, upgrade, completing a bundle, the next quantity tier) and the
// free-shipping nudge in the buyer's currency. Accepting checks the checkout's instructions,
// then changes the cart lines with the offer id as a line attribute; the discount function
// prices the result. Errors show in a banner; an exception renders nothing.
import { createElement, render } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import type { Api } from "@shopify/ui-extensions/purchase.checkout.block.render";
import type { GoalProgress, OfferAction, ShownOffer } from "../../../app/engine";
import { blockedBy, changesFor, declineChange, declinedOffers, displayOf, setSaving, shipsAnything, type CheckoutLine } from "./offers";
import { Guard, ItemRow, Price, useOffers, useValue, type Format } from "./ui";
import type { OfferEventKind } from "../../../app/analytics/pixel-events";

declare const shopify: Api;

/** Offers whose impression was published (once per checkout page). */
const shownOffers = new Set<string>();

/** Storage key of the offer ids this shopper declined. */
const DISMISSED = "dismissed";

export default () => {
  render(
    <Guard>
      <CheckoutOffers />
    </Guard>,
    document.body,
  );
};

function CheckoutOffers() {
  const instructions = useValue(shopify.instructions);
  const attributes = useValue(shopify.attributes);
  const settings = useValue(shopify.settings);
  // Settings hold only what the merchant filled in.
  const heading = "heading" in settings ? settings.heading : undefined;
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  // Offers the shopper declined stay declined: here (this extension's storage) and on the
  // storefront (the cart attribute it writes). Nothing shows until the storage is read, so
  // a declined offer never flashes back.
  const [stored, setStored] = useState<string[]>();
  useEffect(() => {
    shopify.storage.read<string[]>(DISMISSED).then(
      (ids) => setStored(Array.isArray(ids) ? ids : []),
      () => setStored([]),
    );
  }, []);
  const dismissed = useMemo(() => (stored ? declinedOffers(stored, attributes) : undefined), [stored, attributes]);
  const { lines, ruleset, currency, country, customer, group, evaluation, f } = useOffers("checkout", dismissed);
  // A bundle completing a set says what the whole set saves.
  const savings = useMemo(
    () => Object.fromEntries((evaluation ? evaluation.offers : []).map((o) => [o.id, setSaving(ruleset, lines, currency, o, { now: Date.now(), country, customer })])),
    [evaluation, ruleset, lines, currency, country, customer],
  );
  // Offer events for Cartlift's web pixel (Shopify forwards them; nothing calls Cartlift).
  // (app/analytics/pixel-events.ts names them: `cartlift:<kind>`.)
  const track = (kind: OfferEventKind, offerId: string) => shopify.analytics.publish("cartlift:" + kind, { offerId, placement: "checkout", group: group || "none" });
  useEffect(() => {
    if (evaluation) evaluation.offers.forEach(({ id }) => shownOffers.has(id) || (shownOffers.add(id), track("impression", id)));
  }, [evaluation]);
  // No free-shipping nudge where nothing ships.
  const goal = evaluation && shipsAnything(lines) ? evaluation.freeShipping : undefined;
  if (!dismissed || !evaluation || (!evaluation.offers.length && !goal)) return null;

  // Changes go one after another (a bundle's lines in order); the first error stops them.
  // Promise chains, not async/await: the es6 bundle then needs no generator helper.
  function accept(action: OfferAction, key: string) {
    setError(undefined);
    const blocked = blockedBy(action, instructions && instructions.lines);
    if (blocked) return setError(f.t(blocked));
    setBusy(key);
    const offerId = key.split(":")[0];
    track("click", offerId);
    const failed = (message: string) => setError(f.t("failed", { message }));
    changesFor(action, lines)
      .reduce<Promise<boolean>>(
        (ok, change) => ok.then((go) => go && shopify.applyCartLinesChange(change).then((result) => (result.type == "error" ? (failed(result.message), false) : true))),
        Promise.resolve(true),
      )
      .then((accepted) => accepted && track("accept", offerId))
      .catch((e) => failed(e instanceof Error ? e.message : String(e)))
      .then(() => setBusy(undefined));
  }

  function dismiss(offerId: string) {
    track("dismiss", offerId);
    const ids = (stored || []).concat(offerId);
    setStored(ids);
    shopify.storage.write(DISMISSED, ids).catch(() => undefined);
    // On the cart too, so the order and any other surface agree (where the checkout allows).
    if (!instructions || instructions.attributes.canUpdateAttributes !== false) shopify.applyAttributeChange(declineChange(attributes, offerId)).catch(() => undefined);
  }

  return (
    <s-stack gap="base">
      {goal && <FreeShipping goal={goal} f={f} />}
      {evaluation.offers.length > 0 && <s-heading>{heading ? String(heading) : f.t("offersHeading")}</s-heading>}
      {evaluation.offers.map((offer) => (
        <OfferView key={offer.id} offer={offer} saving={savings[offer.id]} lines={lines} f={f} busy={busy} accept={accept} dismiss={dismiss} />
      ))}
      {error && <s-banner tone="critical">{error}</s-banner>}
    </s-stack>
  );
}

function FreeShipping({ goal, f }: { goal: GoalProgress; f: Format }) {
  if (goal.reached) return <s-text tone="success">{f.t("freeShippingReached")}</s-text>;
  return (
    <s-stack gap="small-200">
      <s-text>{f.t("freeShippingProgress", { amount: f.money(goal.remaining) })}</s-text>
      <s-progress value={goal.progress} max={1} accessibilityLabel={f.t("freeShippingLabel")} />
    </s-stack>
  );
}

function OfferView(props: {
  offer: ShownOffer;
  /** A bundle's saving on the whole set (cart minor units). */
  saving?: number;
  lines: CheckoutLine[];
  f: Format;
  busy?: string;
  accept: (action: OfferAction, key: string) => void;
  dismiss: (offerId: string) => void;
}) {
  const { offer, saving = 0, lines, f, busy, accept, dismiss } = props;
  const button = (action: OfferAction, key: string, label: string, name?: string) => (
    <s-button
      variant="secondary"
      loading={busy == key}
      disabled={!!busy}
      accessibilityLabel={name ? `${label}: ${name}` : undefined}
      onClick={() => accept(action, key)}
    >
      {label}
    </s-button>
  );
  // A bundle earns its discount only whole: one button adds everything missing.
  const whole = offer.kind == "bundle";
  return (
    <s-stack gap="small-200">
      {offer.title && <s-text type="strong">{offer.title}</s-text>}
      {offer.items.map((item, i) => {
        const key = `${offer.id}:${i}`;
        const display = displayOf(item, lines);
        const upgrade = offer.kind == "upsell";
        const label =
          offer.kind == "quantity_break" ? f.t("addMore", { count: item.quantity }) : upgrade ? f.t("upgrade") : f.t("add");
        return (
          <ItemRow key={key} item={item} display={display} f={f} action={whole ? undefined : button(item.action, key, label, display.title)}>
            {upgrade && item.difference !== undefined ? (
              <s-text type="strong">{f.t("upgradeFor", { amount: f.money(Math.max(0, item.difference)) })}</s-text>
            ) : (
              // A bundle's part at its own price: the saving is the whole set's (its button).
              <Price item={whole ? Object.assign({}, item, { priceAfter: item.priceBefore }) : item} f={f} each={offer.kind == "quantity_break"} />
            )}
          </ItemRow>
        );
      })}
      {whole && button(offer.action, offer.id, saving > 0 ? f.t("completeBundleSave", { amount: f.money(saving) }) : f.t("addAll"))}
      {offer.endsAt && (
        <s-text color="subdued">{f.t("endsAt", { date: f.date(offer.endsAt) })}</s-text>
      )}
      <s-link onClick={() => dismiss(offer.id)} accessibilityLabel={f.t("dismissLabel", { title: offer.title || "" })}>
        {f.t("dismiss")}
      </s-link>
    </s-stack>
  );
}
