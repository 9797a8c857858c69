// Shop settings: free-shipping goal and reward tiers (per currency), offers per placement,
// price anchoring, storefront texts per language and widget colours.
import { useEffect, useMemo, useRef, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  ChoiceList,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { authenticateAdmin } from "../shopify.server";
import { loadSettingsPage, saveSettings } from "../settings/settings.server";
import {
  COLOR_KEYS,
  COLOR_LABELS,
  DEFAULT_TEXTS,
  LANGUAGE_NAMES,
  LANGUAGES,
  MAX_OFFERS_LIMIT,
  MAX_REWARD_TIERS,
  TEXT_KEYS,
  TEXT_LABELS,
  type SettingsInput,
} from "../settings/settings";
import type { FieldErrors } from "../offers/model";
import type { Labels } from "../offers/catalog.server";
import { AdminToast, useToast } from "../components/admin/AdminToast";
import { UnsavedChangesBar } from "../components/admin/UnsavedChangesBar";
import { LeaveGuard } from "../components/admin/LeaveGuard";
import { PublishStatusCard } from "../components/offers/PublishStatusCard";
import { ResourceChooser } from "../components/offers/ResourceChooser";
import { pageTitle } from "../components/admin/title";
import { TabList } from "../components/admin/TabList";

export const meta = () => pageTitle("Settings");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticateAdmin(request);
  return loadSettingsPage({ admin, shop: session.shop });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { admin, session } = await authenticateAdmin(request);
  const form = await request.formData();
  let raw: unknown = null;
  try {
    raw = JSON.parse(String(form.get("settings") ?? "null"));
  } catch {
    /* validated as empty */
  }
  const version = Number(form.get("version"));
  if (!Number.isSafeInteger(version) || version < 0) throw new Response("The form did not say which version of the settings it edits.", { status: 400 });
  const result = await saveSettings({ admin, shop: session.shop }, raw, version);
  return result.ok
    ? { ok: true as const, publish: result.publish, version: result.version }
    : { ok: false as const, errors: result.errors, reason: result.reason };
};

type SaveResponse =
  | { ok: true; publish: { status: string; error?: string }; version: number }
  | { ok: false; errors: FieldErrors; reason: "invalid" | "conflict" | "shopify" };

export default function Settings() {
  const data = useLoaderData<typeof loader>();
  const fetcher = useFetcher<SaveResponse>();
  const revalidator = useRevalidator();
  const { toast, show, dismiss } = useToast();
  const [baseline, setBaseline] = useState(data.input);
  const [input, setInput] = useState<SettingsInput>(data.input);
  const [labels, setLabels] = useState<Labels>(data.labels);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [language, setLanguage] = useState(0);
  const { currency, currencies } = data.shop;
  const others = currencies.filter((c) => c != currency);

  // The version the merchant's edits start from: a save names it, so a save over settings
  // another tab saved since is refused instead of overwriting them.
  const editVersion = useRef(data.version);
  /** Take the next loader data even over unsaved edits (after our save, or "Reload"). */
  const acceptNext = useRef(false);

  // Declared before the loader-data effect: on the render where our save's answer and the
  // revalidated settings arrive together, this one marks them as ours to take.
  useEffect(() => {
    const result = fetcher.data;
    if (!result || fetcher.state != "idle") return;
    if (result.ok) {
      setErrors({});
      editVersion.current = result.version;
      acceptNext.current = true;
      show(result.publish.status == "published" ? "Settings saved and published" : "Settings saved, but not published", result.publish.status != "published");
    } else {
      // What the merchant typed stays in the form, with the errors on its fields; a text
      // error in another language's tab brings that tab forward.
      setErrors(result.errors);
      const langWithError = (l: string) => Object.keys(result.errors).some((k) => k.startsWith(`texts.${l}.`));
      if (!langWithError(LANGUAGES[language])) {
        const first = LANGUAGES.findIndex(langWithError);
        if (first >= 0) setLanguage(first);
      }
      show(
        result.reason == "conflict" ? "Not saved: the settings were changed elsewhere" : result.reason == "shopify" ? "Not saved: Shopify did not answer" : "Not saved: check the highlighted fields",
        true,
      );
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.data, fetcher.state]);

  // Stored settings become the form's baseline when they change (our save, another tab's
  // save seen on a reload), unless that would throw away unsaved edits: then the edits
  // stay, and saving them is refused as a conflict. A refused save changes nothing stored,
  // so its revalidation leaves the form as the merchant typed it.
  const resetToServer = () => {
    acceptNext.current = false;
    editVersion.current = data.version;
    setBaseline(data.input);
    setInput(data.input);
    setLabels((l) => ({ ...l, ...data.labels }));
    setErrors({});
  };
  const stored = `${data.version}:${JSON.stringify(data.input)}`;
  useEffect(() => {
    const dirtyNow = JSON.stringify(input) != JSON.stringify(baseline);
    if (!dirtyNow || acceptNext.current) resetToServer();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stored]);
  /** "Reload" after a conflict: take the newest settings, dropping the refused edits. */
  const reload = () => {
    if (data.version != editVersion.current) resetToServer(); // the refused save's revalidation already loaded them
    acceptNext.current = true;
    revalidator.revalidate();
  };

  const dirty = useMemo(() => JSON.stringify(input) != JSON.stringify(baseline), [input, baseline]);
  const saving = fetcher.state != "idle";
  const save = () => fetcher.submit({ settings: JSON.stringify(input), version: String(editVersion.current) }, { method: "post" });
  const set = <K extends keyof SettingsInput>(key: K, value: SettingsInput[K]) => setInput((prev) => ({ ...prev, [key]: value }));
  const lang = LANGUAGES[language];
  const errorCount = Object.keys(errors).filter((k) => k != "form").length;

  return (
    <Page title="Settings" primaryAction={{ content: "Save", onAction: save, loading: saving, disabled: !dirty }}>
      <UnsavedChangesBar id="settings-save-bar" open={dirty} saving={saving} onSave={save} onDiscard={() => {
          setInput(baseline);
          setErrors({});
        }} />
      <LeaveGuard dirty={dirty} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {errors.form && <Banner tone="critical" title={errors.form} action={fetcher.data?.ok === false && fetcher.data.reason == "conflict" ? { content: "Reload", onAction: reload } : undefined} />}
            {errorCount > 0 && (
              <Banner tone="critical" title={`To save, fix ${errorCount} field${errorCount == 1 ? "" : "s"} below`}>
                <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                  {Object.entries(errors)
                    .filter(([k]) => k != "form")
                    .map(([k, m]) => (
                      <li key={k}>{m}</li>
                    ))}
                </ul>
              </Banner>
            )}
            <div id="free-shipping">
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Free-shipping bar
                  </Text>
                  <Checkbox
                    label="Show shoppers how far they are from free shipping"
                    checked={input.freeShippingEnabled}
                    onChange={(v) => set("freeShippingEnabled", v)}
                    helpText="Also set up free shipping at this amount in Shopify's shipping settings, or the bar promises what checkout does not give."
                  />
                  <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
                    <TextField
                      label={`Threshold (${currency})`}
                      value={input.freeShippingAmount}
                      onChange={(v) => set("freeShippingAmount", v)}
                      error={errors.freeShippingAmount}
                      autoComplete="off"
                      inputMode="decimal"
                      disabled={!input.freeShippingEnabled}
                    />
                  </InlineGrid>
                  {others.length > 0 && (
                    <BlockStack gap="200">
                      <Text as="p" tone="subdued" variant="bodySm">
                        In other currencies the threshold is converted and rounded up to a clean amount, unless you set one here.
                      </Text>
                      <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300">
                        {others.map((c) => (
                          <TextField
                            key={c}
                            label={`Threshold in ${c}`}
                            value={input.freeShippingAmounts[c] ?? ""}
                            onChange={(v) => set("freeShippingAmounts", { ...input.freeShippingAmounts, [c]: v })}
                            error={errors[`freeShippingAmounts.${c}`]}
                            placeholder="Converted"
                            autoComplete="off"
                            inputMode="decimal"
                            disabled={!input.freeShippingEnabled}
                          />
                        ))}
                      </InlineGrid>
                    </BlockStack>
                  )}
                </BlockStack>
              </Card>
            </div>

            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Reward tiers
                </Text>
                <Text as="p" tone="subdued">
                  Goals beyond free shipping: spend $100, get a free gift. The gift is added at no charge once the cart reaches the tier.
                </Text>
                {errors.rewardTiers && <Text as="p" tone="critical">{errors.rewardTiers}</Text>}
                {input.rewardTiers.map((tier, i) => (
                  <Box key={i} borderColor="border" borderWidth="025" borderRadius="200" padding="300">
                    <BlockStack gap="300">
                      <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
                        <TextField
                          label="Reward"
                          value={tier.label}
                          placeholder="Free tote bag"
                          onChange={(v) => set("rewardTiers", input.rewardTiers.map((t, j) => (j == i ? { ...t, label: v } : t)))}
                          error={errors[`rewardTiers[${i}].label`]}
                          autoComplete="off"
                        />
                        <TextField
                          label={`Cart reaches (${currency})`}
                          value={tier.amount}
                          onChange={(v) => set("rewardTiers", input.rewardTiers.map((t, j) => (j == i ? { ...t, amount: v } : t)))}
                          error={errors[`rewardTiers[${i}].amount`]}
                          autoComplete="off"
                          inputMode="decimal"
                        />
                      </InlineGrid>
                      <ResourceChooser
                        id={`gift-${i}`}
                        mode="variants"
                        label="Free gift (optional)"
                        max={1}
                        selected={tier.gift ? [`variant:${tier.gift}`] : []}
                        labels={labels}
                        currency={currency}
                        error={errors[`rewardTiers[${i}].gift`]}
                        onChange={(keys, l) => {
                          setLabels(l);
                          set("rewardTiers", input.rewardTiers.map((t, j) => (j == i ? { ...t, gift: keys[0]?.slice(8) ?? "" } : t)));
                        }}
                      />
                      <div>
                        <Button variant="plain" tone="critical" onClick={() => set("rewardTiers", input.rewardTiers.filter((_, j) => j != i))}>
                          Remove tier
                        </Button>
                      </div>
                    </BlockStack>
                  </Box>
                ))}
                <div>
                  <Button
                    disabled={input.rewardTiers.length >= MAX_REWARD_TIERS}
                    onClick={() => set("rewardTiers", [...input.rewardTiers, { id: "", label: "", amount: "", amounts: {}, gift: "" }])}
                  >
                    Add reward tier
                  </Button>
                </div>
              </BlockStack>
            </Card>

            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Offers
                </Text>
                <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
                  <Select
                    label="Offers shown per placement"
                    options={Array.from({ length: MAX_OFFERS_LIMIT }, (_, i) => String(i + 1))}
                    value={input.maxOffers}
                    onChange={(v) => set("maxOffers", v)}
                    error={errors.maxOffers}
                    helpText="At most three: more offers distract more than they sell."
                  />
                  <TextField
                    label="Price anchoring"
                    value={input.anchorShare}
                    onChange={(v) => set("anchorShare", v)}
                    error={errors.anchorShare}
                    suffix="% of the cart"
                    autoComplete="off"
                    inputMode="decimal"
                    helpText="An add-on costing more than this share of the cart is not shown."
                  />
                </InlineGrid>
                <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
                  <TextField
                    label="Holdout"
                    value={input.holdoutShare}
                    onChange={(v) => set("holdoutShare", v)}
                    error={errors.holdoutShare}
                    suffix="% of shoppers"
                    autoComplete="off"
                    inputMode="decimal"
                    helpText="These shoppers see no Cartlift offers, so the analytics page can measure what the offers add. 0 turns the holdout off."
                  />
                  <Checkbox
                    label="Hide the free-shipping bar from the holdout too"
                    checked={input.holdoutHideBar}
                    onChange={(v) => set("holdoutHideBar", v)}
                    helpText="Measures the bar's effect along with the offers'."
                  />
                </InlineGrid>
              </BlockStack>
            </Card>

            <Card padding="0">
              <Box padding="400" paddingBlockEnd="0">
                <BlockStack gap="100">
                  <Text as="h2" variant="headingMd">
                    Storefront texts
                  </Text>
                  <Text as="p" tone="subdued">
                    What the widgets say, in each language your storefront uses. Keep the {"{placeholders}"}: the widget fills them in.
                  </Text>
                </BlockStack>
              </Box>
              <TabList
                label="Language"
                tabs={LANGUAGES.map((l) => ({
                  id: `lang-${l}`,
                  content: Object.keys(errors).some((k) => k.startsWith(`texts.${l}.`)) ? `${LANGUAGE_NAMES[l]} (needs a fix)` : LANGUAGE_NAMES[l],
                }))} selected={language} onSelect={setLanguage}>
                <Box padding="400">
                  <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
                    {TEXT_KEYS.map((key) => (
                      <TextField
                        key={`${lang}-${key}`}
                        label={TEXT_LABELS[key]}
                        value={input.texts[lang][key]}
                        placeholder={DEFAULT_TEXTS[lang][key]}
                        onChange={(v) => set("texts", { ...input.texts, [lang]: { ...input.texts[lang], [key]: v } })}
                        error={errors[`texts.${lang}.${key}`]}
                        autoComplete="off"
                      />
                    ))}
                  </InlineGrid>
                </Box>
              </TabList>
            </Card>

            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Widget colours
                </Text>
                <ChoiceList
                  title="Colours"
                  titleHidden
                  choices={[
                    { label: "Use the theme's colours", value: "theme", helpText: "Widgets look like the rest of the store, whatever theme it uses." },
                    { label: "Custom colours", value: "custom" },
                  ]}
                  selected={[input.colorSource]}
                  onChange={([v]) => set("colorSource", v as SettingsInput["colorSource"])}
                />
                {input.colorSource == "custom" && (
                  <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
                    {COLOR_KEYS.map((key) => (
                      <TextField
                        key={key}
                        label={COLOR_LABELS[key]}
                        value={input.colors[key]}
                        onChange={(v) => set("colors", { ...input.colors, [key]: v })}
                        error={errors[`colors.${key}`]}
                        autoComplete="off"
                        prefix={
                          <input
                            type="color"
                            aria-label={`${COLOR_LABELS[key]} swatch`}
                            value={/^#[0-9a-f]{6}$/i.test(input.colors[key]) ? input.colors[key] : "#000000"}
                            onChange={(e) => set("colors", { ...input.colors, [key]: e.target.value })}
                            style={{ width: 22, height: 22, border: 0, padding: 0, background: "none" }}
                          />
                        }
                      />
                    ))}
                  </InlineGrid>
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <PublishStatusCard publish={data.publish} timezone={data.shop.timezone} />
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">
                  Where these apply
                </Text>
                <Text as="p" tone="subdued">
                  Saving publishes the settings with your offers to the storefront, checkout and the Cartlift discount.
                </Text>
                <InlineStack>
                  <Button url="/app/preview">Try them in the preview</Button>
                </InlineStack>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
      <Box paddingBlockEnd="800" />
      <AdminToast toast={toast} onDismiss={dismiss} />
    </Page>
  );
}
