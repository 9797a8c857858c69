/** @jsxImportSource preact */
// Thank-you target (purchase.thank-you.block.render): one follow-up offer for the next order,
// chosen by the engine for what was just bought (placement "thank_you"), with its real end
// when it has one and no countdown when it has none. The order is placed, so the offer links
// to the product in the store rather than changing this order.
import { cartGroup, forGroup, holdoutOf, GROUP_ATTRIBUTE } from "../../../app/analytics/holdout";
import { render } from "preact";
import { useEffect, useMemo } from "preact/hooks";
import type { Api } from "@shopify/ui-extensions/purchase.thank-you.block.render";
import { displayOf, evaluateLines, merchantTexts, rulesetFrom, type CheckoutLine } from "./offers";
import { Guard, ItemRow, formatFor, useValue } from "./ui";

declare const shopify: Api;

export default async () => {
  render(
    <Guard>
      <FollowUpOffer />
    </Guard>,
    document.body,
  );
};

function FollowUpOffer() {
  const lines = useValue(shopify.lines) as unknown as CheckoutLine[];
  const metafields = useValue(shopify.appMetafields);
  const currency = useValue(shopify.localization.currency).isoCode;
  const country = useValue(shopify.localization.country)?.isoCode;
  const language = useValue(shopify.localization.language)?.isoCode;
  // The holdout: the order's cart attribute says whether this shopper was held out.
  const attributes = useValue(shopify.attributes);
  const group = cartGroup(attributes?.find((a) => a.key == GROUP_ATTRIBUTE)?.value);
  const offer = useMemo(() => {
    const ruleset = rulesetFrom(metafields);
    const evaluated = evaluateLines(ruleset, lines, currency, "thank_you", { now: Date.now(), country });
    return evaluated ? forGroup(evaluated, group, holdoutOf((ruleset as { display?: unknown } | null)?.display)).offers[0] : undefined;
  }, [metafields, lines, currency, country, group]);
  const item = offer?.items[0];
  // The follow-up's impression for Cartlift's web pixel.
  useEffect(() => {
    if (offer) shopify.analytics.publish("cartlift:impression", { offerId: offer.id, placement: "thank_you", group: group || "none" });
  }, [offer?.id]);
  if (!offer || !item) return null;
  const f = formatFor(shopify.i18n, currency, merchantTexts(rulesetFrom(metafields), language));
  const display = displayOf(item, lines);
  const store = shopify.shop.storefrontUrl?.replace(/\/$/, "") ?? "";
  // The offer id rides along so the store can add the product through this offer.
  const href = `${store}/products/${display.handle ?? ""}?variant=${item.variantId}&cartlift_offer=${encodeURIComponent(offer.id)}`;
  return (
    <s-stack gap="base">
      <s-heading>{offer.title || f.t("thankYou.heading")}</s-heading>
      <ItemRow
        item={item}
        display={display}
        action={
          <s-button variant="secondary" href={href} accessibilityLabel={f.t("thankYou.shopLabel", { title: display.title })}>
            {f.t("thankYou.shop")}
          </s-button>
        }
      >
        {/* The regular price, never the offer's discounted one: the discount function only
            honours a cross-sell's discount while its trigger is in the same cart, so a price
            promised here for the next order would not be the price paid. */}
        <s-text type="strong">{f.money(item.priceBefore)}</s-text>
      </ItemRow>
      {offer.endsAt && <s-text color="subdued">{f.t("offer.endsAt", { date: f.date(offer.endsAt) })}</s-text>}
    </s-stack>
  );
}
