/** @jsxImportSource preact */
// Checkout targets (cart-line-list.render-after, block.render): the engine's offers for the
// checkout lines (add-on, upgrade, completing a bundle, the next quantity tier) and the
// free-shipping nudge in the buyer's currency. Accepting checks the checkout's instructions,
// then changes the cart lines with the offer id as a line attribute; the discount function
// prices the result. Errors show in a banner; an exception renders nothing.
import { cartGroup, forGroup, holdoutOf, GROUP_ATTRIBUTE } from "../../../app/analytics/holdout";
import { render } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import type { Api } from "@shopify/ui-extensions/purchase.checkout.block.render";
import type { GoalProgress, OfferAction, ShownOffer } from "../../../app/engine";
import { blockedBy, changesFor, declineChange, declinedOffers, displayOf, evaluateLines, merchantTexts, rulesetFrom, setSaving, shipsAnything, togetherFrom, type CheckoutLine } from "./offers";
import { Guard, ItemRow, Price, formatFor, useValue, type Format } from "./ui";
import type { OfferEventKind } from "../../../app/analytics/pixel-events";

declare const shopify: Api;

/** Offers whose impression was published (once per checkout page). */
const shownOffers = new Set<string>();

/** Storage key of the offer ids this shopper declined. */
const DISMISSED = "dismissed";
/** No customer signal (an API without buyer identity): a guest. */
const NO_CUSTOMER = { value: undefined, subscribe: () => () => {} };
/** The buyer's customer signal; a host without buyer identity (or refusing to give it) has a guest. */
function customerSignal() {
  try {
    return shopify.buyerIdentity?.customer ?? NO_CUSTOMER;
  } catch {
    return NO_CUSTOMER;
  }
}

export default async () => {
  render(
    <Guard>
      <CheckoutOffers />
    </Guard>,
    document.body,
  );
};

function CheckoutOffers() {
  const lines = useValue(shopify.lines) as unknown as CheckoutLine[];
  const metafields = useValue(shopify.appMetafields);
  const currency = useValue(shopify.localization.currency).isoCode;
  const country = useValue(shopify.localization.country)?.isoCode;
  // A logged-in buyer with their order count (Shopify gives the customer only to an app with
  // protected customer data access); anyone else is a guest, whose order count is unknown.
  const buyer = useValue(useMemo(customerSignal, []));
  const customer = useMemo(() => (buyer ? { loggedIn: true, orderCount: buyer.ordersCount || 0 } : undefined), [buyer]);
  const language = useValue(shopify.localization.language)?.isoCode;
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
  // The holdout: a cart the storefront put in the holdout gets no offers here either.
  const group = cartGroup(attributes?.find((a) => a.key == GROUP_ATTRIBUTE)?.value);
  const evaluation = useMemo(() => {
    const ruleset = rulesetFrom(metafields);
    const evaluated = evaluateLines(ruleset, lines, currency, "checkout", { now: Date.now(), country, dismissed, together: togetherFrom(metafields), customer });
    return evaluated && forGroup(evaluated, group, holdoutOf((ruleset as { display?: unknown } | null)?.display));
  }, [metafields, lines, currency, country, dismissed, group, customer]);
  // A bundle completing a set says what the whole set saves.
  const savings = useMemo(
    () => Object.fromEntries((evaluation?.offers ?? []).map((o) => [o.id, setSaving(rulesetFrom(metafields), lines, currency, o, { now: Date.now(), country, customer })])),
    [evaluation, metafields, lines, currency, country, customer],
  );
  // Offer events for Cartlift's web pixel (Shopify forwards them; nothing calls Cartlift).
  // (app/analytics/pixel-events.ts names them: `cartlift:<kind>`.)
  const track = (kind: OfferEventKind, offerId: string) => shopify.analytics.publish("cartlift:" + kind, { offerId, placement: "checkout", group: group || "none" });
  useEffect(() => {
    evaluation?.offers.forEach(({ id }) => shownOffers.has(id) || (shownOffers.add(id), track("impression", id)));
  }, [evaluation]);
  // No free-shipping nudge where nothing ships.
  const goal = shipsAnything(lines) ? evaluation?.freeShipping : undefined;
  if (!dismissed || !evaluation || (!evaluation.offers.length && !goal)) return null;
  const f = formatFor(shopify.i18n, currency, merchantTexts(rulesetFrom(metafields), language));

  async function accept(action: OfferAction, key: string) {
    setError(undefined);
    const blocked = blockedBy(action, instructions?.lines);
    if (blocked) return setError(f.t(blocked));
    setBusy(key);
    const offerId = key.split(":")[0];
    track("click", offerId);
    try {
      let accepted = true;
      for (const change of changesFor(action, lines)) {
        const result = await shopify.applyCartLinesChange(change);
        if (result.type == "error") {
          setError(f.t("errors.failed", { message: result.message }));
          accepted = false;
          break;
        }
      }
      if (accepted) track("accept", offerId);
    } catch (e) {
      setError(f.t("errors.failed", { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(undefined);
    }
  }

  function dismiss(offerId: string) {
    track("dismiss", offerId);
    const ids = [...(stored ?? []), offerId];
    setStored(ids);
    shopify.storage.write(DISMISSED, ids).catch(() => undefined);
    // On the cart too, so the order and any other surface agree (where the checkout allows).
    if (instructions?.attributes?.canUpdateAttributes !== false) shopify.applyAttributeChange(declineChange(attributes, offerId)).catch(() => undefined);
  }

  return (
    <s-stack gap="base">
      {goal && <FreeShipping goal={goal} f={f} />}
      {evaluation.offers.length > 0 && <s-heading>{typeof heading == "string" && heading ? heading : f.t("heading")}</s-heading>}
      {evaluation.offers.map((offer) => (
        <OfferView key={offer.id} offer={offer} saving={savings[offer.id]} lines={lines} f={f} busy={busy} accept={accept} dismiss={dismiss} />
      ))}
      {error && <s-banner tone="critical">{error}</s-banner>}
    </s-stack>
  );
}

function FreeShipping({ goal, f }: { goal: GoalProgress; f: Format }) {
  if (goal.reached) return <s-text tone="success">{f.t("freeShipping.reached")}</s-text>;
  return (
    <s-stack gap="small-200">
      <s-text>{f.t("freeShipping.remaining", { amount: f.money(goal.remaining) })}</s-text>
      <s-progress value={goal.progress} max={1} accessibilityLabel={f.t("freeShipping.progress")} />
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
          offer.kind == "quantity_break" ? f.t("offer.addMore", { count: item.quantity }) : upgrade ? f.t("offer.upgrade") : f.t("offer.add");
        return (
          <ItemRow key={key} item={item} display={display} action={whole ? undefined : button(item.action, key, label, display.title)}>
            {upgrade && item.difference !== undefined ? (
              <s-text type="strong">{f.t("offer.upgradeFor", { amount: f.money(Math.max(0, item.difference)) })}</s-text>
            ) : (
              // A bundle's part at its own price: the saving is the whole set's (its button).
              <Price item={whole ? { ...item, priceAfter: item.priceBefore } : item} f={f} each={offer.kind == "quantity_break"} />
            )}
          </ItemRow>
        );
      })}
      {whole && button(offer.action, offer.id, saving > 0 ? f.t("offer.completeBundleSave", { amount: f.money(saving) }) : f.t("offer.completeBundle"))}
      {offer.endsAt && (
        <s-text color="subdued">{f.t("offer.endsAt", { date: f.date(offer.endsAt) })}</s-text>
      )}
      <s-link onClick={() => dismiss(offer.id)} accessibilityLabel={f.t("offer.dismissLabel", { title: offer.title ?? "" })}>
        {f.t("offer.dismiss")}
      </s-link>
    </s-stack>
  );
}
