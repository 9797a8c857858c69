// The live preview: the merchant builds a sample cart (products, currency, customer,
// placement) and sees exactly what the engine shows there, and why every other offer
// did not apply. With `draft`, the offer being edited is previewed unsaved.
import { useEffect, useMemo, useState } from "react";
import {
  Badge,
  BlockStack,
  Box,
  Card,
  Divider,
  InlineGrid,
  InlineStack,
  ProgressBar,
  Select,
  Spinner,
  Text,
  TextField,
  Thumbnail,
  Banner,
} from "@shopify/polaris";
import { PLACEMENTS, type Placement } from "../../engine";
import { KIND_LABELS, PLACEMENT_LABELS, type OfferInput } from "../../offers/model";
import type { Labels } from "../../offers/catalog.server";
import type { PreviewResult, SampleCustomer } from "../../offers/preview.server";
import { ResourceChooser } from "./ResourceChooser";
import { useJsonResource } from "../admin/useJsonResource";

interface Props {
  draft?: OfferInput;
  offerId?: string | null;
  currency: string;
  currencies: string[];
  /** Placement to start with. */
  placement?: Placement;
  /** A page of its own: the sample cart beside the outcome. */
  wide?: boolean;
}

const PLACEHOLDER_IMAGE =
  "data:image/svg+xml;utf8," +
  encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><rect width="40" height="40" rx="6" fill="#f1f1f1"/></svg>');

export function PreviewPanel({ draft, offerId, currency, currencies, placement: initialPlacement, wide }: Props) {
  const [placement, setPlacement] = useState<Placement>(initialPlacement ?? "cart");
  const [cartCurrency, setCartCurrency] = useState(currency);
  const [customer, setCustomer] = useState<SampleCustomer>("guest");
  const [customerTags, setCustomerTags] = useState("");
  const [country, setCountry] = useState("");
  /** Null until the merchant edits the cart: then the preview picks one from the offer. */
  const [items, setItems] = useState<Array<{ variantId: string; quantity: number }> | null>(null);
  const [labels, setLabels] = useState<Labels>({});

  useEffect(() => {
    if (initialPlacement && !draft?.placements.includes(placement)) setPlacement(initialPlacement);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [initialPlacement]);

  const request = useMemo(
    () =>
      JSON.stringify({
        sample: {
          items: items ?? [],
          currency: cartCurrency,
          placement,
          customer,
          customerTags: customerTags.split(",").map((t) => t.trim()).filter(Boolean),
          country,
        },
        draft: draft ?? null,
        offerId: offerId ?? null,
      }),
    [items, cartCurrency, placement, customer, customerTags, country, draft, offerId],
  );
  const preview = useJsonResource<PreviewResult>(`/api/preview?q=${encodeURIComponent(request)}`, 350);
  const result = preview.data;
  const shownItems = items ?? result?.sample.items ?? [];
  const keys = shownItems.map((i) => `variant:${i.variantId}`);
  // The chosen items as the server priced them, in the previewed cart's currency; an item
  // just added (not priced yet) shows its shop-currency price only while that is the cart's.
  const listCurrency = result?.currency ?? currency;
  const allLabels: Labels = {};
  for (const key of keys) {
    const label = result?.sample.labels[key] ?? labels[key];
    if (label) allLabels[key] = result?.sample.labels[key] || listCurrency == currency ? label : { ...label, price: undefined };
  }
  const quantityOf = (key: string) => shownItems.find((i) => `variant:${i.variantId}` == key)?.quantity ?? 1;
  const setQuantity = (key: string, quantity: number) =>
    setItems(shownItems.map((i) => (`variant:${i.variantId}` == key ? { ...i, quantity: Math.max(1, Math.min(99, quantity || 1)) } : i)));
  const loading = preview.loading;

  const controls = (
    <>
        <InlineGrid columns={2} gap="200">
          <Select
            label="Placement"
            options={PLACEMENTS.map((p) => ({ label: PLACEMENT_LABELS[p], value: p }))}
            value={placement}
            onChange={(v) => setPlacement(v as Placement)}
          />
          <Select label="Currency" options={currencies} value={cartCurrency} onChange={setCartCurrency} />
          <Select
            label="Customer"
            options={[
              { label: "Guest", value: "guest" },
              { label: "New customer (logged in)", value: "new" },
              { label: "Returning customer", value: "returning" },
            ]}
            value={customer}
            onChange={(v) => setCustomer(v as SampleCustomer)}
          />
          <TextField label="Country" value={country} onChange={(v) => setCountry(v.toUpperCase().slice(0, 2))} placeholder="US" autoComplete="off" maxLength={2} />
        </InlineGrid>
        {customer != "guest" && (
          <TextField label="Customer tags" value={customerTags} onChange={setCustomerTags} placeholder="vip, wholesale" autoComplete="off" />
        )}

        <ResourceChooser
          id="preview-cart"
          mode="variants"
          compact
          label={placement == "product" ? "Sample cart (the first product is the one being viewed)" : "Sample cart"}
          selected={keys}
          labels={allLabels}
          currency={currency}
          listCurrency={listCurrency}
          emptyText="Add products to see what a shopper with this cart gets."
          onChange={(next, nextLabels) => {
            setLabels(nextLabels);
            setItems(next.map((key) => ({ variantId: key.slice(8), quantity: quantityOf(key) })));
          }}
          renderExtra={(key) => (
            <div style={{ width: 64 }}>
              <TextField
                label="Quantity"
                labelHidden
                type="number"
                min={1}
                max={99}
                value={String(quantityOf(key))}
                onChange={(v) => setQuantity(key, Number(v))}
                autoComplete="off"
              />
            </div>
          )}
        />
        {result?.sample.auto && items === null && (
          <Text as="p" tone="subdued" variant="bodySm">
            The sample cart holds what triggers this offer. Change it to try other carts.
          </Text>
        )}

    </>
  );
  const outcome = result ? (
    <PreviewOutcome result={result} />
  ) : preview.error ? (
    <Banner tone="critical">
      <p>The preview could not be computed ({preview.error}). Try again in a moment.</p>
    </Banner>
  ) : (
    <Text as="p" tone="subdued">
      Loading the preview…
    </Text>
  );

  return (
    <section aria-label="Live preview">
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Preview
          </Text>
          {loading ? <Spinner size="small" accessibilityLabel="Updating the preview" /> : <Badge tone="info">{PLACEMENT_LABELS[placement]}</Badge>}
        </InlineStack>

        {wide ? (
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="600">
            <BlockStack gap="400">{controls}</BlockStack>
            <BlockStack gap="400">{outcome}</BlockStack>
          </InlineGrid>
        ) : (
          <>
            {controls}
            <Divider />
            {outcome}
          </>
        )}
      </BlockStack>
    </Card>
    </section>
  );
}

function PreviewOutcome({ result }: { result: PreviewResult }) {
  const where = PLACEMENT_LABELS[result.placement].toLowerCase();
  // On the product page the sample's first product is the one viewed, not in the cart.
  const viewed = result.lines.find((l) => l.viewed);
  const cartLines = result.lines.filter((l) => !l.viewed);
  return (
    <BlockStack gap="400">
      {result.notes.map((note) => (
        <Banner key={note} tone="warning">
          <p>{note}</p>
        </Banner>
      ))}
      {result.diagnostics.map((d) => (
        <Banner key={d} tone="critical">
          <p>{d}</p>
        </Banner>
      ))}
      {viewed && (
        <Text as="p" tone="subdued" variant="bodySm">
          The shopper is viewing {viewed.title}
          {viewed.variantTitle ? ` – ${viewed.variantTitle}` : ""} ({viewed.unitPrice})
        </Text>
      )}
      {cartLines.length > 0 ? (
        <Text as="p" tone="subdued" variant="bodySm">
          Cart subtotal {result.subtotal} ({result.currency})
        </Text>
      ) : viewed ? (
        <Text as="p" tone="subdued" variant="bodySm">
          The cart is empty: add more products to the sample cart to preview a cart beside the viewed product.
        </Text>
      ) : null}

      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          Shoppers see on the {where}
        </Text>
        {result.offers.length == 0 ? (
          <Text as="p" tone="subdued">
            No offer for this cart.
          </Text>
        ) : (
          <ul aria-label="Offers shown" style={{ listStyle: "none", margin: 0, padding: 0, display: "grid", gap: 8 }}>
            {result.offers.map((offer) => (
              <li key={offer.id}>
                <Box borderColor={offer.isDraft ? "border-emphasis" : "border"} borderWidth="025" borderRadius="200" padding="300">
                  <BlockStack gap="200">
                    <InlineStack gap="200" blockAlign="center">
                      <Text as="span" fontWeight="semibold">
                        {offer.title || offer.name}
                      </Text>
                      {offer.isDraft && <Badge tone="attention">This offer</Badge>}
                      <Badge>{KIND_LABELS[offer.kind]}</Badge>
                      {offer.discount && <Badge tone="success">{offer.discount}</Badge>}
                    </InlineStack>
                    {offer.items.map((item, i) => (
                      <InlineStack key={i} gap="300" blockAlign="center" wrap={false}>
                        <Thumbnail source={item.image || PLACEHOLDER_IMAGE} alt="" size="small" />
                        <BlockStack gap="050">
                          <Text as="span">
                            {item.title}
                            {item.variantTitle ? ` – ${item.variantTitle}` : ""}
                            {item.quantity > 1 ? ` × ${item.quantity}` : ""}
                          </Text>
                          <InlineStack gap="150">
                            {item.discounted && (
                              <Text as="span" tone="subdued" textDecorationLine="line-through">
                                {item.priceBefore}
                              </Text>
                            )}
                            <Text as="span" fontWeight="medium">
                              {item.priceAfter}
                            </Text>
                            {item.difference && (
                              <Text as="span" tone="subdued">
                                ({item.difference} per item)
                              </Text>
                            )}
                          </InlineStack>
                          {item.why && (
                            <Text as="p" tone="subdued" variant="bodySm">
                              <span data-preview-why>{item.why}</span>
                            </Text>
                          )}
                          {(item.proof || item.rating) && (
                            <Text as="p" variant="bodySm">
                              <span data-preview-proof>{[item.proof, item.rating].filter(Boolean).join(" · ")}</span>
                            </Text>
                          )}
                        </BlockStack>
                      </InlineStack>
                    ))}
                  </BlockStack>
                </Box>
              </li>
            ))}
          </ul>
        )}
      </BlockStack>

      {result.freeShipping && (
        <BlockStack gap="100">
          <Text as="p">
            {result.freeShipping.reached
              ? `Free shipping reached (threshold ${result.freeShipping.threshold}).`
              : `${result.freeShipping.remaining} away from free shipping (threshold ${result.freeShipping.threshold}).`}
          </Text>
          <ProgressBar progress={Math.round(result.freeShipping.progress * 100)} size="small" tone={result.freeShipping.reached ? "success" : "highlight"} />
        </BlockStack>
      )}
      {result.rewardTiers.map((tier) => (
        <Text as="p" key={tier.label} tone="subdued">
          {tier.reached ? `Reward reached: ${tier.label}.` : `${tier.remaining} away from “${tier.label}” (${tier.threshold}).`}
        </Text>
      ))}
      {result.discounts.length > 0 && (
        <BlockStack gap="100">
          <Text as="h3" variant="headingSm">
            Discounts this cart earns
          </Text>
          {result.discounts.map((d, i) => (
            <InlineStack key={i} align="space-between">
              <Text as="span">{d.label}</Text>
              <Text as="span" fontWeight="medium">
                {d.amount}
              </Text>
            </InlineStack>
          ))}
        </BlockStack>
      )}

      {result.skipped.length > 0 && (
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">
            Not shown
          </Text>
          <ul aria-label="Offers not shown" style={{ margin: 0, paddingInlineStart: 18, display: "grid", gap: 6 }}>
            {result.skipped.slice(0, 50).map((s) => (
              <li key={s.id}>
                <Text as="span" fontWeight="medium">
                  {s.isDraft ? `${s.name} (this offer)` : s.name}
                </Text>
                <Text as="span" tone="subdued">
                  {" "}
                  — {s.words}
                </Text>
              </li>
            ))}
          </ul>
          {result.skipped.length > 50 && (
            <Text as="p" tone="subdued" variant="bodySm">
              And {result.skipped.length - 50} more.
            </Text>
          )}
        </BlockStack>
      )}
    </BlockStack>
  );
}
