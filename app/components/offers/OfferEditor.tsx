// The offer editor: fields per kind, products chosen with the resource picker (or the
// local shop's search), conditions, discount, schedule, placements and headline, with a
// live preview of the unsaved offer. Validation happens on the server (the engine's
// rules); its errors come back keyed by field and show inline.
import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useFetcher, useRevalidator, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  InlineGrid,
  InlineStack,
  Layout,
  Modal,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { minorDigits, PLACEMENTS, type OfferKind } from "../../engine";
import {
  displayStatus,
  KIND_LABELS,
  OFFER_KINDS,
  PLACEMENT_LABELS,
  type DiscountChoice,
  type FieldErrors,
  type OfferInput,
  type TriggerField,
  DEFAULT_PROOF_MIN,
} from "../../offers/model";
import type { Labels } from "../../offers/catalog.server";
import type { EditorData } from "../../offers/offers.server";
import type { PublishOutcome } from "../../offers/publisher.server";
import { fromZonedInput, toZonedInput } from "../../offers/time";
import { guardrailWarnings } from "../../offers/guardrails";
import { AdminToast, useToast } from "../admin/AdminToast";
import { UnsavedChangesBar } from "../admin/UnsavedChangesBar";
import { LeaveGuard } from "../admin/LeaveGuard";
import { PreviewPanel } from "./PreviewPanel";
import { PublishStatusCard } from "./PublishStatusCard";
import { ResourceChooser } from "./ResourceChooser";

export interface SaveResponse {
  ok: boolean;
  /** The saved version (updates). */
  version?: number;
  errors?: FieldErrors;
  reason?: "invalid" | "conflict" | "not_found" | "shopify";
  publish?: PublishOutcome;
}

const STATUS_TONE = { active: "success", scheduled: "info", paused: undefined, expired: "critical" } as const;
const STATUS_LABEL = { active: "Active", scheduled: "Scheduled", paused: "Paused", expired: "Expired" } as const;

function currencySymbol(currency: string): string {
  return (
    new Intl.NumberFormat("en-US", { style: "currency", currency, currencyDisplay: "narrowSymbol" }).formatToParts(0).find((p) => p.type == "currency")?.value ??
    currency
  );
}

export function OfferEditor({ data }: { data: EditorData }) {
  const fetcher = useFetcher<SaveResponse>();
  const revalidator = useRevalidator();
  const [searchParams, setSearchParams] = useSearchParams();
  const { toast, show, dismiss } = useToast();
  const [baseline, setBaseline] = useState(data.input);
  const [input, setInput] = useState<OfferInput>(data.input);
  const [labels, setLabels] = useState<Labels>(data.labels);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [confirmDelete, setConfirmDelete] = useState(false);
  const { currency, timezone } = data.shop;
  const existing = data.offer;

  // The version the merchant's edits start from: a save names it, so a save over someone
  // else's newer version is refused instead of overwriting it.
  const editVersion = useRef(existing?.version ?? 0);
  // This rendering's idempotency key: a create (or duplicate) submitted twice makes one offer.
  const formKey = useRef(data.formKey);
  /** Take the next loader data even over unsaved edits (after our save, or "Reload"). */
  const acceptNext = useRef(false);

  useEffect(() => {
    const result = fetcher.data;
    if (!result || fetcher.state != "idle") return;
    if (result.ok) {
      setErrors({});
      if (result.version) editVersion.current = result.version;
      acceptNext.current = true;
      if (result.publish?.status == "failed") show("Offer saved, but not published", true);
      else show("Offer saved and published");
    } else {
      setErrors(result.errors ?? {});
      show(
        result.reason == "conflict" ? "Not saved: someone else changed this offer" : result.reason == "shopify" ? "Not saved: Shopify did not answer" : "Not saved: check the highlighted fields",
        true,
      );
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.data, fetcher.state]);

  // A new version from the server becomes the baseline, unless it would throw away
  // unsaved edits (then the edits stay, and saving them is refused as a conflict).
  const resetToServer = () => {
    acceptNext.current = false;
    editVersion.current = existing?.version ?? 0;
    setBaseline(data.input);
    setInput(data.input);
    setLabels((l) => ({ ...l, ...data.labels }));
    setErrors({});
  };
  useEffect(() => {
    const dirtyNow = JSON.stringify(input) != JSON.stringify(baseline);
    if (!dirtyNow || acceptNext.current) resetToServer();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [existing?.id, existing?.version]);
  /** "Reload" after a conflict: take the newest version, dropping the refused edits. */
  const reload = () => {
    if ((existing?.version ?? 0) != editVersion.current) resetToServer(); // already loaded: the refused save revalidated it
    acceptNext.current = true;
    revalidator.revalidate();
  };

  useEffect(() => {
    if (searchParams.get("duplicated")) {
      show(searchParams.get("published") == "failed" ? "Copy made and paused, but not published" : "Copy made: it stays paused until you resume it", searchParams.get("published") == "failed");
      setSearchParams((p) => {
        p.delete("duplicated");
        p.delete("published");
        return p;
      }, { replace: true, preventScrollReset: true });
    } else if (searchParams.get("created")) {
      show(searchParams.get("published") == "failed" ? "Offer created, but not published" : "Offer created and published", searchParams.get("published") == "failed");
      setSearchParams((p) => {
        p.delete("created");
        p.delete("published");
        return p;
      }, { replace: true, preventScrollReset: true });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const dirty = useMemo(() => JSON.stringify(input) != JSON.stringify(baseline), [input, baseline]);
  const saving = fetcher.state != "idle" && fetcher.formData?.get("intent") == "save";
  const deleting = fetcher.state != "idle" && fetcher.formData?.get("intent") == "delete";
  const duplicating = fetcher.state != "idle" && fetcher.formData?.get("intent") == "duplicate";
  /** True from our save or delete until its answer: a redirect it causes may leave the page. */
  const submitting = useRef(false);
  useEffect(() => {
    if (fetcher.state == "idle") submitting.current = false;
  }, [fetcher.state]);
  const save = () => {
    submitting.current = true;
    fetcher.submit(
      existing
        ? { intent: "save", offer: JSON.stringify(input), version: String(editVersion.current) }
        : { intent: "save", offer: JSON.stringify(input), createKey: formKey.current },
      { method: "post" },
    );
  };
  /** A paused copy of the saved offer, opened once made. */
  const duplicate = () => {
    submitting.current = true;
    fetcher.submit({ intent: "duplicate", createKey: formKey.current }, { method: "post" });
  };
  const discard = () => {
    setInput(baseline);
    setErrors({});
  };
  const set = <K extends keyof OfferInput>(key: K, value: OfferInput[K]) => setInput((prev) => ({ ...prev, [key]: value }));
  const err = (key: string) => errors[key];
  const warnings = guardrailWarnings(input);
  const errorCount = Object.keys(errors).filter((k) => k != "form").length;
  const status = displayStatus({
    status: input.status,
    startsAt: input.startsAt ? new Date(input.startsAt) : null,
    endsAt: input.endsAt ? new Date(input.endsAt) : null,
  });

  const kind = input.kind;
  const fbt = kind == "cross_sell" && input.source == "fbt";
  const title = input.name.trim() || (existing ? "Untitled offer" : "New offer");

  return (
    <Page
      title={title}
      backAction={{ content: "Offers", url: "/app/offers" }}
      titleMetadata={existing ? <Badge tone={STATUS_TONE[status]}>{STATUS_LABEL[status]}</Badge> : <Badge>Unsaved</Badge>}
      primaryAction={{ content: "Save", onAction: save, loading: saving, disabled: existing ? !dirty : false }}
      secondaryActions={
        existing
          ? [
              {
                content: "Duplicate",
                onAction: duplicate,
                loading: duplicating,
                disabled: dirty || duplicating,
                helpText: dirty ? "Save or discard your changes first: the copy is made from the saved offer." : undefined,
              },
              { content: "Delete", destructive: true, onAction: () => setConfirmDelete(true) },
            ]
          : []
      }
    >
      <UnsavedChangesBar id="offer-save-bar" open={dirty} saving={saving} onSave={save} onDiscard={discard} />
      <LeaveGuard dirty={dirty} submitting={submitting} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {errors.form && (
              <Banner
                tone="critical"
                title={errors.form}
                action={
                  existing
                    ? {
                        content: "Reload",
                        onAction: reload,
                      }
                    : undefined
                }
              />
            )}
            {errorCount > 0 && (
              <Banner tone="critical" title={`To save, fix ${errorCount} field${errorCount == 1 ? "" : "s"} below`}>
                <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                  {Object.entries(errors)
                    .filter(([k]) => k != "form")
                    .map(([k, message]) => (
                      <li key={k}>{message}</li>
                    ))}
                </ul>
              </Banner>
            )}
            {data.hint && !existing && (
              <Banner tone="info">
                <p>{data.hint}</p>
              </Banner>
            )}

            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Offer
                </Text>
                <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
                  <TextField label="Name" value={input.name} onChange={(v) => set("name", v)} error={err("name")} autoComplete="off" helpText="Only you see it." />
                  <Select
                    label="Kind"
                    options={OFFER_KINDS.map((k) => ({ label: KIND_LABELS[k], value: k }))}
                    value={kind}
                    onChange={(v) => set("kind", v as OfferKind)}
                  />
                </InlineGrid>
                <TextField
                  label="Headline"
                  value={input.title}
                  onChange={(v) => set("title", v)}
                  error={err("title")}
                  autoComplete="off"
                  helpText="Shoppers see it above the offer; it is also the discount's name at checkout. Empty: the storefront's default heading."
                />
                <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
                  <Select
                    label="Status"
                    options={[
                      { label: "Active", value: "active" },
                      { label: "Paused", value: "paused" },
                    ]}
                    value={input.status}
                    onChange={(v) => set("status", v as OfferInput["status"])}
                  />
                  <TextField
                    label="Priority"
                    type="number"
                    value={input.priority}
                    onChange={(v) => set("priority", v)}
                    error={err("priority")}
                    autoComplete="off"
                    helpText="Higher shows first when more offers apply than a placement shows."
                  />
                </InlineGrid>
              </BlockStack>
            </Card>

            {(kind == "cross_sell" || kind == "upsell" || kind == "quantity_break") && (
              <TriggerCard input={input} labels={labels} currency={currency} error={err("trigger")} onChange={(trigger, l) => {
                setInput((prev) => ({ ...prev, trigger }));
                setLabels(l);
              }} onEveryProduct={(everyProduct) => set("everyProduct", everyProduct)} />
            )}

            {(kind == "cross_sell" || kind == "upsell") && (
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    {kind == "upsell" ? "Upgrade to" : "Offered products"}
                  </Text>
                  {kind == "cross_sell" && (
                    <Select
                      id="offer-source"
                      label="Offer source"
                      options={[
                        { label: "Manual: the products I pick", value: "manual" },
                        { label: "Automatic: frequently bought together", value: "fbt" },
                      ]}
                      value={input.source}
                      onChange={(v) => set("source", v as OfferInput["source"])}
                      helpText={
                        input.source == "fbt"
                          ? "Mined from your orders of the last 60 days (see Recommendations). When they run short: your picks below, then Shopify's complementary and related products, then nothing."
                          : undefined
                      }
                    />
                  )}
                  <ResourceChooser
                    id="offered"
                    mode="variants"
                    label={kind == "upsell" ? "The better variants or products" : fbt ? "Your picks (fallback, optional)" : "Products to offer"}
                    selected={input.variants.map((v) => `variant:${v}`)}
                    labels={labels}
                    currency={currency}
                    max={10}
                    error={err("variants")}
                    emptyText={fbt ? "None: order history, then Shopify's recommendations." : "None chosen yet."}
                    helpText={fbt ? "Shown, in this order, when order history supplies fewer than three products." : "Shoppers see up to three, in this order, never one already in their cart."}
                    onChange={(keys, l) => {
                      set("variants", keys.map((k) => k.slice(8)));
                      setLabels(l);
                    }}
                  />
                  <DiscountFields
                    label="Discount on the offered products"
                    allowNone
                    kind={input.discount.kind}
                    value={input.discount.value}
                    currency={currency}
                    error={err("discount.value")}
                    onChange={(d) => set("discount", d)}
                  />
                  {fbt && (
                    <BlockStack gap="300">
                      <Text as="h3" variant="headingSm">
                        Never recommend
                      </Text>
                      <ResourceChooser
                        id="exclude-products"
                        mode="products"
                        label="Products"
                        selected={input.exclude.products.map((p) => `product:${p}`)}
                        labels={labels}
                        currency={currency}
                        error={err("exclude")}
                        emptyText="None excluded."
                        onChange={(keys, l) => {
                          set("exclude", { ...input.exclude, products: keys.filter((k) => k.startsWith("product:")).map((k) => k.slice(8)) });
                          setLabels(l);
                        }}
                      />
                      <ResourceChooser
                        id="exclude-collections"
                        mode="collections"
                        label="Collections"
                        selected={input.exclude.collections.map((c) => `collection:${c}`)}
                        labels={labels}
                        currency={currency}
                        emptyText="None excluded."
                        onChange={(keys, l) => {
                          set("exclude", { ...input.exclude, collections: keys.map((k) => k.slice(11)) });
                          setLabels(l);
                        }}
                      />
                      <ListField label="Product tags" values={input.exclude.tags} onChange={(tags) => set("exclude", { ...input.exclude, tags })} placeholder="gift-card, clearance" helpText="Also never offered from Shopify's recommendations." />
                      <TextField
                        id="proof-min"
                        label="Show “Bought together N times this month” from"
                        type="number"
                        suffix="orders"
                        value={input.proofMin}
                        placeholder={String(DEFAULT_PROOF_MIN)}
                        onChange={(v) => set("proofMin", v)}
                        error={err("proofMin")}
                        autoComplete="off"
                        helpText="Below this, the count is not shown. Ratings show when a review app fills the products' reviews.rating metafields."
                      />
                    </BlockStack>
                  )}
                  {warnings.discount && (
                    <Banner tone="warning" title="Open to anyone who adds the upgrade">
                      <p id="upgrade-discount-warning">{warnings.discount}</p>
                    </Banner>
                  )}
                </BlockStack>
              </Card>
            )}

            {kind == "bundle" && (
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Bundle
                  </Text>
                  <ResourceChooser
                    id="components"
                    mode="variants"
                    label="Products in the bundle"
                    selected={input.components.map((c) => `variant:${c.variantId}`)}
                    labels={labels}
                    currency={currency}
                    max={4}
                    error={err("components")}
                    emptyText="Choose 2 to 4 products. Any variant of each counts towards the bundle."
                    onChange={(keys, l) => {
                      const quantity = (id: string) => input.components.find((c) => c.variantId == id)?.quantity ?? "1";
                      set("components", keys.map((k) => ({ variantId: k.slice(8), quantity: quantity(k.slice(8)) })));
                      setLabels(l);
                    }}
                    renderExtra={(key, index) => (
                      <div style={{ width: 84 }}>
                        <TextField
                          label={`Quantity of ${labels[key]?.title ?? "product"}`}
                          labelHidden
                          type="number"
                          min={1}
                          value={input.components[index]?.quantity ?? "1"}
                          error={err(`components[${index}].quantity`)}
                          onChange={(v) => set("components", input.components.map((c, i) => (i == index ? { ...c, quantity: v } : c)))}
                          autoComplete="off"
                        />
                      </div>
                    )}
                  />
                  <DiscountFields
                    label="Bundle discount"
                    kind={input.discount.kind == "none" ? "percent" : input.discount.kind}
                    value={input.discount.value}
                    currency={currency}
                    error={err("discount.value")}
                    amountHelp="Off each complete set."
                    onChange={(d) => set("discount", d)}
                  />
                </BlockStack>
              </Card>
            )}

            {kind == "quantity_break" && (
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Tiers
                  </Text>
                  {err("tiers") && <Text as="p" tone="critical">{err("tiers")}</Text>}
                  {input.tiers.map((tier, i) => (
                    <InlineGrid key={i} columns={["oneThird", "twoThirds"]} gap="300" alignItems="start">
                      <TextField
                        label={`Tier ${i + 1}: buy at least`}
                        type="number"
                        min={2}
                        value={tier.quantity}
                        error={err(`tiers[${i}].quantity`)}
                        onChange={(v) => set("tiers", input.tiers.map((t, j) => (j == i ? { ...t, quantity: v } : t)))}
                        autoComplete="off"
                      />
                      <InlineStack gap="200" blockAlign="end" wrap={false}>
                        <div style={{ flex: 1 }}>
                          <DiscountFields
                            label="Discount"
                            kind={tier.kind}
                            value={tier.value}
                            currency={currency}
                            error={err(`tiers[${i}].value`)}
                            onChange={(d) =>
                              set("tiers", input.tiers.map((t, j) => (j == i ? { ...t, kind: d.kind == "amount" ? "amount" : "percent", value: d.value } : t)))
                            }
                          />
                        </div>
                        <Button variant="plain" tone="critical" onClick={() => set("tiers", input.tiers.filter((_, j) => j != i))} accessibilityLabel={`Remove tier ${i + 1}`}>
                          Remove
                        </Button>
                      </InlineStack>
                    </InlineGrid>
                  ))}
                  <div>
                    <Button
                      onClick={() =>
                        set("tiers", [
                          ...input.tiers,
                          { quantity: String((Number(input.tiers[input.tiers.length - 1]?.quantity) || 1) + 1), kind: "percent", value: "" },
                        ])
                      }
                      disabled={input.tiers.length >= 5}
                    >
                      Add tier
                    </Button>
                  </div>
                </BlockStack>
              </Card>
            )}

            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Placements
                </Text>
                <InlineGrid columns={{ xs: 1, sm: 3 }} gap="200">
                  {PLACEMENTS.map((p) => (
                    <Checkbox
                      key={p}
                      label={PLACEMENT_LABELS[p]}
                      checked={input.placements.includes(p)}
                      onChange={(checked) => set("placements", checked ? PLACEMENTS.filter((x) => x == p || input.placements.includes(x)) : input.placements.filter((x) => x != p))}
                    />
                  ))}
                </InlineGrid>
                {err("placements") && <Text as="p" tone="critical">{err("placements")}</Text>}
              </BlockStack>
            </Card>

            <AudienceCard input={input} currency={currency} errors={errors} onChange={(audience) => set("audience", audience)} />

            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Schedule and limits
                </Text>
                <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
                  <TextField
                    label="Starts"
                    type="datetime-local"
                    value={input.startsAt ? toZonedInput(input.startsAt, timezone) : ""}
                    onChange={(v) => set("startsAt", fromZonedInput(v, timezone))}
                    error={err("startsAt")}
                    autoComplete="off"
                    clearButton
                    onClearButtonClick={() => set("startsAt", "")}
                  />
                  <TextField
                    label="Ends"
                    type="datetime-local"
                    value={input.endsAt ? toZonedInput(input.endsAt, timezone) : ""}
                    onChange={(v) => set("endsAt", fromZonedInput(v, timezone))}
                    error={err("endsAt")}
                    autoComplete="off"
                    clearButton
                    onClearButtonClick={() => set("endsAt", "")}
                    helpText="Shoppers see a countdown only when an offer really ends."
                  />
                </InlineGrid>
                <Text as="p" tone="subdued" variant="bodySm">
                  Times are in the shop's time zone ({timezone}). Empty: starts now, never ends.
                </Text>
                <TextField
                  label="Price anchoring"
                  type="number"
                  value={input.anchorShare}
                  onChange={(v) => set("anchorShare", v)}
                  error={err("anchorShare")}
                  suffix="% of the cart"
                  placeholder="Shop default"
                  autoComplete="off"
                  helpText="An add-on costing more than this share of the cart is not shown. Empty: the shop's setting."
                />
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <PublishStatusCard publish={data.publish} timezone={timezone} />
            <PreviewPanel draft={input} offerId={existing?.id} currency={currency} currencies={data.shop.currencies} placement={input.placements.includes("cart") ? "cart" : input.placements[0]} />
          </BlockStack>
        </Layout.Section>
      </Layout>
      <Box paddingBlockEnd="800" />
      <Modal
        open={confirmDelete}
        onClose={() => setConfirmDelete(false)}
        title={`Delete “${title}”?`}
        primaryAction={{
          content: "Delete offer",
          destructive: true,
          loading: deleting,
          onAction: () => {
            submitting.current = true;
            fetcher.submit({ intent: "delete" }, { method: "post" });
          },
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setConfirmDelete(false) }]}
      >
        <Modal.Section>
          <Text as="p">Shoppers stop seeing it as soon as it is deleted. This cannot be undone.</Text>
        </Modal.Section>
      </Modal>
      <AdminToast toast={toast} onDismiss={dismiss} />
    </Page>
  );
}

function DiscountFields(props: {
  label: string;
  kind: DiscountChoice;
  value: string;
  currency: string;
  allowNone?: boolean;
  error?: string;
  amountHelp?: string;
  onChange: (d: { kind: DiscountChoice; value: string }) => void;
}) {
  const options = [
    ...(props.allowNone ? [{ label: "No discount", value: "none" }] : []),
    { label: "Percentage", value: "percent" },
    { label: "Fixed amount off each item", value: "amount" },
  ];
  return (
    <InlineGrid columns={2} gap="200" alignItems="start">
      <Select label={props.label} options={options} value={props.kind} onChange={(v) => props.onChange({ kind: v as DiscountChoice, value: props.value })} />
      {props.kind != "none" ? (
        <TextField
          label="Value"
          type="text"
          inputMode="decimal"
          value={props.value}
          onChange={(v) => props.onChange({ kind: props.kind, value: v })}
          error={props.error}
          autoComplete="off"
          suffix={props.kind == "percent" ? "%" : undefined}
          prefix={props.kind == "amount" ? currencySymbol(props.currency) : undefined}
          // An example as help, never as a grey placeholder a merchant takes for a value.
          helpText={props.kind == "amount" ? (props.amountHelp ?? `For example ${minorDigits(props.currency) ? "5.00" : "500"}.`) : "For example 10 for 10% off."}
        />
      ) : (
        <div />
      )}
    </InlineGrid>
  );
}

/** A comma-separated list field that keeps what is typed until it is a list. */
function ListField({ label, values, onChange, placeholder, helpText, error }: { label: string; values: string[]; onChange: (v: string[]) => void; placeholder?: string; helpText?: ReactNode; error?: string }) {
  const [text, setText] = useState(values.join(", "));
  useEffect(() => {
    if (text.split(",").map((s) => s.trim()).filter(Boolean).join("\u0000") != values.join("\u0000")) setText(values.join(", "));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [values.join("\u0000")]);
  return (
    <TextField
      label={label}
      value={text}
      placeholder={placeholder}
      helpText={helpText}
      error={error}
      autoComplete="off"
      onChange={(v) => {
        setText(v);
        onChange([...new Set(v.split(",").map((s) => s.trim()).filter(Boolean))]);
      }}
    />
  );
}

function TriggerCard({
  input,
  labels,
  currency,
  error,
  onChange,
  onEveryProduct,
}: {
  input: OfferInput;
  labels: Labels;
  currency: string;
  error?: string;
  onChange: (trigger: Record<TriggerField, string[]>, labels: Labels) => void;
  onEveryProduct: (everyProduct: boolean) => void;
}) {
  const t = input.trigger;
  const upsell = input.kind == "upsell";
  const keys = [...t.products.map((p) => `product:${p}`), ...t.variants.map((v) => `variant:${v}`)];
  const [more, setMore] = useState(t.collections.length + t.tags.length + t.vendors.length + t.productTypes.length > 0);
  const setField = (field: TriggerField, values: string[]) => onChange({ ...t, [field]: values }, labels);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {upsell ? "Upgrade from" : input.kind == "quantity_break" ? "Products that count" : "Trigger"}
        </Text>
        <ResourceChooser
          id="trigger"
          mode="products-or-variants"
          label={upsell ? "When the cart holds" : input.kind == "quantity_break" ? "Lines of these products count towards the tiers" : "When the cart or the product page holds"}
          selected={keys}
          labels={labels}
          currency={currency}
          error={error}
          emptyText={upsell ? "Choose what the upgrade replaces." : input.kind == "quantity_break" ? "Nothing chosen yet." : "Nothing chosen: the offer shows with every cart."}
          onChange={(next, l) =>
            onChange(
              {
                ...t,
                products: next.filter((k) => k.startsWith("product:")).map((k) => k.slice(8)),
                variants: next.filter((k) => k.startsWith("variant:")).map((k) => k.slice(8)),
              },
              l,
            )
          }
        />
        {input.kind == "quantity_break" && keys.length == 0 && !(t.collections.length + t.tags.length + t.vendors.length + t.productTypes.length) && (
          <Checkbox
            label="Applies to every product in the store"
            helpText="Every product then earns these tiers. Leave this off and choose the products that count."
            checked={!!input.everyProduct}
            onChange={onEveryProduct}
          />
        )}
        {!more ? (
          <div>
            <Button variant="plain" onClick={() => setMore(true)}>
              Trigger on collections, tags, vendors or product types
            </Button>
          </div>
        ) : (
          <BlockStack gap="300">
            <ResourceChooser
              id="trigger-collections"
              mode="collections"
              label="Collections"
              selected={t.collections.map((c) => `collection:${c}`)}
              labels={labels}
              currency={currency}
              onChange={(next, l) => onChange({ ...t, collections: next.map((k) => k.slice(11)) }, l)}
            />
            <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300">
              <ListField label="Product tags" values={t.tags} onChange={(v) => setField("tags", v)} placeholder="phone, 5g" />
              <ListField label="Vendors" values={t.vendors} onChange={(v) => setField("vendors", v)} placeholder="Aurora Mobile" />
              <ListField label="Product types" values={t.productTypes} onChange={(v) => setField("productTypes", v)} placeholder="Phone" />
            </InlineGrid>
            <Text as="p" tone="subdued" variant="bodySm">
              Any match triggers the offer. Collections and tags are expanded to their products when the offer is published.
            </Text>
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}

function AudienceCard({ input, currency, errors, onChange }: { input: OfferInput; currency: string; errors: FieldErrors; onChange: (a: OfferInput["audience"]) => void }) {
  const a = input.audience;
  const used = !!(a.minSubtotal || a.maxSubtotal || a.minItems || a.customer != "any" || a.customerTags.length || a.countries.length);
  const [open, setOpen] = useState(used);
  const set = <K extends keyof OfferInput["audience"]>(key: K, value: OfferInput["audience"][K]) => onChange({ ...a, [key]: value });
  const symbol = currencySymbol(currency);
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Conditions
          </Text>
          {!open && (
            <Button variant="plain" onClick={() => setOpen(true)}>
              Add conditions
            </Button>
          )}
        </InlineStack>
        {!open ? (
          <Text as="p" tone="subdued">
            Every cart and shopper that matches the trigger.
          </Text>
        ) : (
          <BlockStack gap="300">
            <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300">
              <TextField label="Cart subtotal at least" prefix={symbol} value={a.minSubtotal} onChange={(v) => set("minSubtotal", v)} error={errors["audience.minSubtotal"]} autoComplete="off" inputMode="decimal" />
              <TextField label="Cart subtotal at most" prefix={symbol} value={a.maxSubtotal} onChange={(v) => set("maxSubtotal", v)} error={errors["audience.maxSubtotal"]} autoComplete="off" inputMode="decimal" />
              <TextField label="Items in cart at least" type="number" value={a.minItems} onChange={(v) => set("minItems", v)} error={errors["audience.minItems"]} autoComplete="off" />
            </InlineGrid>
            <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300">
              <Select
                label="Customers"
                options={[
                  { label: "Everyone", value: "any" },
                  { label: "Logged-in customers", value: "logged_in" },
                  { label: "Guests", value: "guest" },
                  { label: "New customers", value: "new" },
                  { label: "New, or a guest", value: "new_or_guest" },
                  { label: "Returning customers", value: "returning" },
                ]}
                value={a.customer}
                onChange={(v) => set("customer", v as OfferInput["audience"]["customer"])}
                helpText={a.customer == "new" ? "Logged in, no orders. Guests are not counted as new: a returning customer who does not log in could be one. Choose “New, or a guest” to include them." : undefined}
                error={errors["audience.customer"]}
              />
              <ListField label="Customer tags (any)" values={a.customerTags} onChange={(v) => set("customerTags", v)} placeholder="vip" error={errors["audience.customerTags"]} />
              <ListField label="Countries" values={a.countries} onChange={(v) => set("countries", v.map((c) => c.toUpperCase()))} placeholder="US, CA" error={errors["audience.countries"]} />
            </InlineGrid>
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}

