/** @jsxRuntime classic */
/** @jsx createElement */
// Thank-you target (purchase.thank-you.block.render): one follow-up offer for the next order,
// chosen by the engine for what was just bought (placement "thank_you"), with its real end
// when it has one and no countdown when it has none. The order is placed, so the offer links
// out to the product in the store (the link leaves the extension's frame). When the offer has
// a discount, Cartlift's app makes the order a single-use code for it (asked with the
// checkout session token; app/routes/api.checkout.follow-up.tsx), shown with a copy button:
// the next checkout honours the code, so the offer's price is the price paid.
import { createElement, render } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Api } from "@shopify/ui-extensions/purchase.thank-you.block.render";
import { displayOf } from "./offers";
import { Guard, ItemRow, Price, useOffers } from "./ui";

declare const shopify: Api;

export default () => {
  render(
    <Guard>
      <FollowUpOffer />
    </Guard>,
    document.body,
  );
};

function FollowUpOffer() {
  const { lines, display: published, group, evaluation, f } = useOffers("thank_you");
  const offer = evaluation ? evaluation.offers[0] : undefined;
  // The order's next-order code, from the app (its URL is published) with the session token.
  const appUrl = published && published.appUrl;
  const orderId = shopify.orderConfirmation.value.order.id;
  // (The app derives the same offer from the order, so the code is this offer's.)
  const [earned, setCode] = useState<{ code: string; endsAt: string }>();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!offer) return;
    // The follow-up's impression for Cartlift's web pixel.
    shopify.analytics.publish("cartlift:impression", { offerId: offer.id, placement: "thank_you", group: group || "none" });
    if (appUrl)
      shopify.sessionToken
        .get()
        .then((token) =>
          // A JSON body (sent as text, which the app reads as JSON).
          fetch(appUrl + "/api/checkout/follow-up", { method: "POST", headers: { Authorization: "Bearer " + token }, body: JSON.stringify({ orderId }) }),
        )
        .then((r) => r.json())
        // An answer without a code (no discount, an error) leaves the regular offer.
        .then((body) => body.code && setCode(body), () => undefined);
  }, [offer && offer.id]);
  const item = offer && offer.items[0];
  if (!offer || !item) return null;
  const display = displayOf(item, lines);
  const store = (shopify.shop.storefrontUrl || "").replace(/\/$/, "");
  // The offer id rides along so the store can add the product through this offer.
  const href = `${store}/products/${display.handle || ""}?variant=${item.variantId}&cartlift_offer=${encodeURIComponent(offer.id)}`;
  return (
    <s-stack gap="base">
      <s-heading>{offer.title || f.t("followUpHeading")}</s-heading>
      <ItemRow
        item={item}
        display={display}
        f={f}
        action={
          <s-button variant="secondary" href={href} accessibilityLabel={f.t("shopLabel", { title: display.title })}>
            {f.t("shopNow")}
          </s-button>
        }
      >
        {/* The offer's price only with the code that pays it: without the code the next
            checkout charges the regular price (the discount function honours a cross-sell's
            discount only beside its trigger). */}
        {earned ? <Price item={item} f={f} /> : <s-text type="strong">{f.money(item.priceBefore)}</s-text>}
      </ItemRow>
      {earned && (
        <s-stack direction="inline" gap="small-200">
          <s-text>{f.t("yourCode")}</s-text>
          <s-text type="strong">{earned.code}</s-text>
          <s-clipboard-item id="cartlift-code" text={earned.code} onCopy={() => setCopied(true)} />
          <s-button variant="secondary" commandFor="cartlift-code">
            {f.t(copied ? "copied" : "copyCode")}
          </s-button>
        </s-stack>
      )}
      {(earned || offer.endsAt) && (
        <s-text color="subdued">{f.t(earned ? "codeTerms" : "endsAt", { date: f.date(earned ? earned.endsAt : offer.endsAt!) })}</s-text>
      )}
    </s-stack>
  );
}
