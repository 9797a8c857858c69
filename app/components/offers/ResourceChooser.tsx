// Choosing products, variants or collections. Inside Shopify: App Bridge's resource
// picker. In the local shop (no App Bridge): a Polaris search over the same Admin API
// (/api/products). Selections are keys: "product:1001", "variant:2001", "collection:3001".
import { useState, type ReactNode } from "react";
import { BlockStack, Box, Button, InlineStack, InlineError, Spinner, Text, TextField, Thumbnail } from "@shopify/polaris";
import { decimalToMinor, shortId } from "../../engine";
import { formatMoney } from "../../offers/explain";
import type { Labels, ProductHit, CollectionHit, ResourceLabel } from "../../offers/catalog.server";
import { appBridge, useLocalShop } from "../admin/mode";
import { useJsonResource } from "../admin/useJsonResource";

export type ChooserMode = "variants" | "products" | "products-or-variants" | "collections";

interface Props {
  /** Used for element ids (`${id}-search`). */
  id: string;
  mode: ChooserMode;
  label: string;
  selected: string[];
  labels: Labels;
  /** The shop's currency: what the search shows prices in. */
  currency: string;
  /** The currency the chosen items' label prices are in (default: `currency`). */
  listCurrency?: string;
  onChange: (keys: string[], labels: Labels) => void;
  max?: number;
  error?: string;
  helpText?: ReactNode;
  emptyText?: string;
  /** Extra controls per chosen item (e.g. a bundle component's quantity). */
  renderExtra?: (key: string, index: number) => ReactNode;
  /** Narrow column: the remove link goes under the title. */
  compact?: boolean;
}

interface SearchData {
  products: ProductHit[];
  collections: CollectionHit[];
}

const PLACEHOLDER_IMAGE =
  "data:image/svg+xml;utf8," +
  encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><rect width="40" height="40" rx="6" fill="#f1f1f1"/></svg>');

export function labelText(label: ResourceLabel | undefined, key: string): string {
  if (!label) return key.replace(/^\w+:/, "#");
  return label.subtitle ? `${label.title} – ${label.subtitle}` : label.title;
}

export function ResourceChooser(props: Props) {
  const local = useLocalShop();
  const { mode, selected, labels, currency, onChange, max } = props;
  const full = max !== undefined && selected.length >= max;

  const add = (key: string, label: ResourceLabel) => {
    if (selected.includes(key) || full) return;
    onChange([...selected, key], { ...labels, [key]: label });
  };
  const remove = (key: string) => onChange(selected.filter((k) => k !== key), labels);

  const browse = async () => {
    const shopify = appBridge();
    if (!shopify) return;
    if (mode == "collections") {
      const picked = await shopify.resourcePicker({
        type: "collection",
        multiple: max ?? true,
        selectionIds: selected.filter((k) => k.startsWith("collection:")).map((k) => ({ id: `gid://shopify/Collection/${k.slice(11)}` })),
      });
      if (!picked) return;
      const next: Labels = { ...labels };
      const keys = picked.map((c) => {
        const key = `collection:${shortId(c.id)}`;
        next[key] = { title: c.title };
        return key;
      });
      onChange(keys, next);
      return;
    }
    const picked = await shopify.resourcePicker({ type: "product", multiple: max ?? true, filter: { variants: mode != "products" } });
    if (!picked) return;
    const next: Labels = { ...labels };
    const keys = [...selected];
    for (const product of picked) {
      const image = product.images?.[0]?.originalSrc ?? null;
      const whole = mode == "products" || (mode == "products-or-variants" && product.variants.length >= product.totalVariants);
      if (whole) {
        const key = `product:${shortId(product.id)}`;
        next[key] = { title: product.title, subtitle: product.vendor, image };
        if (!keys.includes(key)) keys.push(key);
        continue;
      }
      for (const v of product.variants) {
        if (!v.id) continue;
        const key = `variant:${shortId(v.id)}`;
        next[key] = {
          title: product.title,
          subtitle: product.hasOnlyDefaultVariant ? undefined : v.title ?? undefined,
          image,
          price: v.price ? decimalToMinor(String(v.price), currency) : undefined,
        };
        if (!keys.includes(key)) keys.push(key);
      }
    }
    onChange(max ? keys.slice(0, max) : keys, next);
  };

  return (
    <BlockStack gap="200">
      <Text as="span" variant="bodyMd" fontWeight="medium">
        {props.label}
      </Text>
      {selected.length ? (
        <Box borderColor="border" borderWidth="025" borderRadius="200">
          <ul style={{ listStyle: "none", margin: 0, padding: 0 }} aria-label={props.label}>
            {selected.map((key, index) => {
              const label = labels[key];
              const text = labelText(label, key);
              return (
                <li key={key} style={{ borderTop: index ? "1px solid var(--p-color-border-secondary)" : undefined }}>
                  <Box padding="200" paddingInlineStart="300">
                    <div style={{ display: "flex", alignItems: "center", gap: 12 }}>
                      {mode != "collections" && <Thumbnail source={label?.image || PLACEHOLDER_IMAGE} alt="" size="small" />}
                      <div style={{ flex: 1, minWidth: 0 }}>
                        <BlockStack gap="050">
                          <Text as="span" fontWeight="medium">
                            {label?.title ?? key}
                          </Text>
                          <Text as="span" tone="subdued" variant="bodySm">
                            {[
                              key.startsWith("product:") ? "Any variant" : key.startsWith("collection:") ? "Collection" : label?.subtitle,
                              label?.price !== undefined ? formatMoney(label.price, props.listCurrency ?? currency) : undefined,
                              label?.available === false ? "Sold out" : undefined,
                            ]
                              .filter(Boolean)
                              .join(" · ")}
                          </Text>
                          {props.compact && (
                            <div>
                              <Button variant="plain" tone="critical" onClick={() => remove(key)} accessibilityLabel={`Remove ${text}`}>
                                Remove
                              </Button>
                            </div>
                          )}
                        </BlockStack>
                      </div>
                      {props.renderExtra?.(key, index)}
                      {!props.compact && (
                        <Button variant="plain" tone="critical" onClick={() => remove(key)} accessibilityLabel={`Remove ${text}`}>
                          Remove
                        </Button>
                      )}
                    </div>
                  </Box>
                </li>
              );
            })}
          </ul>
        </Box>
      ) : props.emptyText ? (
        <Text as="p" tone="subdued">
          {props.emptyText}
        </Text>
      ) : null}
      {props.error && <InlineError message={props.error} fieldID={`${props.id}-search`} />}
      {local ? (
        <LocalSearch {...props} full={full} onAdd={add} />
      ) : (
        <div>
          <Button onClick={browse} disabled={full}>
            {mode == "collections" ? "Browse collections" : "Browse products"}
          </Button>
        </div>
      )}
      {props.helpText && (
        <Text as="p" tone="subdued" variant="bodySm">
          {props.helpText}
        </Text>
      )}
    </BlockStack>
  );
}

function LocalSearch({ id, mode, selected, currency, full, onAdd }: Props & { full: boolean; onAdd: (key: string, label: ResourceLabel) => void }) {
  const [query, setQuery] = useState("");
  const type = mode == "collections" ? "collections" : "products";
  const open = query.trim() != "";
  const search = useJsonResource<SearchData>(open ? `/api/products?type=${type}&currency=${currency}&q=${encodeURIComponent(query.trim())}` : null, 200);
  const loading = search.loading;
  const data = open ? search.data : undefined;
  // A pick closes the results (the choice shows in the list above) and leaves the cursor
  // in the search field, ready for the next search.
  const pick = (key: string, label: ResourceLabel) => {
    onAdd(key, label);
    setQuery("");
    document.getElementById(`${id}-search`)?.focus();
  };
  const addButton = (key: string, label: ResourceLabel, text: string, name: string) => {
    const added = selected.includes(key);
    return (
      <Button key={key} size="slim" disabled={added || full} onClick={() => pick(key, label)} accessibilityLabel={added ? `${name} added` : `Add ${name}`}>
        {added ? `${text} ✓` : text}
      </Button>
    );
  };

  return (
    <BlockStack gap="200">
      <TextField
        id={`${id}-search`}
        label={mode == "collections" ? "Search collections" : "Search products"}
        labelHidden
        placeholder={mode == "collections" ? "Search collections" : "Search products to add"}
        value={query}
        onChange={setQuery}
        autoComplete="off"
        clearButton
        onClearButtonClick={() => setQuery("")}
        suffix={loading ? <Spinner size="small" accessibilityLabel="Searching" /> : undefined}
        error={open && search.error ? search.error : undefined}
      />
      {open && data && !search.error && (
        <Box borderColor="border" borderWidth="025" borderRadius="200" background="bg-surface-secondary">
          <div role="list" aria-label="Search results" style={{ maxHeight: 320, overflowY: "auto" }}>
            {mode == "collections"
              ? data.collections.map((c, i) => (
                  <div role="listitem" key={c.id} style={{ borderTop: i ? "1px solid var(--p-color-border-secondary)" : undefined }}>
                    <Box padding="200" paddingInlineStart="300">
                      <InlineStack align="space-between" blockAlign="center">
                        <Text as="span">
                          {c.title}
                          {c.productCount !== null && (
                            <Text as="span" tone="subdued">
                              {" "}
                              · {c.productCount} products
                            </Text>
                          )}
                        </Text>
                        {addButton(`collection:${c.id}`, { title: c.title }, "Add", c.title)}
                      </InlineStack>
                    </Box>
                  </div>
                ))
              : data.products.map((p, i) => (
                  <div role="listitem" key={p.id} style={{ borderTop: i ? "1px solid var(--p-color-border-secondary)" : undefined }}>
                    <Box padding="200" paddingInlineStart="300">
                      <InlineStack gap="300" blockAlign="start" wrap={false}>
                        <Thumbnail source={p.image || PLACEHOLDER_IMAGE} alt="" size="small" />
                        <BlockStack gap="100">
                          <Text as="span" fontWeight="medium">
                            {p.title}
                          </Text>
                          <InlineStack gap="150">
                            {(mode == "products-or-variants" || mode == "products") &&
                              addButton(`product:${p.id}`, { title: p.title, subtitle: p.vendor, image: p.image }, mode != "products" && p.variants.length > 1 ? "Any variant" : "Add", p.title)}
                            {(mode == "variants" || (mode == "products-or-variants" && p.variants.length > 1)) &&
                              p.variants.map((v) => {
                                const name = v.title ? `${p.title} – ${v.title}` : p.title;
                                const text = `${v.title ? `${v.title} · ` : "Add · "}${formatMoney(v.price, currency)}${v.available ? "" : " (sold out)"}`;
                                return addButton(`variant:${v.id}`, { title: p.title, subtitle: v.title ?? undefined, image: p.image, price: v.price, available: v.available }, text, name);
                              })}
                          </InlineStack>
                        </BlockStack>
                      </InlineStack>
                    </Box>
                  </div>
                ))}
            {(mode == "collections" ? data.collections : data.products).length == 0 && (
              <Box padding="300">
                <Text as="p" tone="subdued">
                  Nothing matches “{query.trim()}”.
                </Text>
              </Box>
            )}
          </div>
        </Box>
      )}
    </BlockStack>
  );
}
