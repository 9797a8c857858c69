// The live preview: a sample cart from the catalog (currency, customer, placement) run
// through the engine's `evaluate` on the ruleset the shop would publish, including the
// offer being edited (unsaved). What the merchant previews is what the shopper sees.
import prisma from "../db.server";
import {
  convertMinor,
  evaluate,
  PLACEMENTS,
  type Cart,
  type CartLine,
  type Context,
  type OfferKind,
  type Placement,
  type SkipReason,
} from "../engine";
import { readSettings } from "../settings/settings";
import { firstVariantOf, loadCurrencyRates, loadShopContext, loadVariants, snapshotOf, type Labels, type VariantDetails } from "./catalog.server";
import { explainDiagnostic, explainSkip, formatMoney, itemDisplay } from "./explain";
import { coerceInput, namedVariants, validateInput, type FieldErrors, type OfferRecord } from "./model";
import { getOffer, liveOffers } from "./repository.server";
import { compileRuleset } from "./ruleset";
import { loadTogether, togetherCatalog, togetherInput, togetherLists } from "./together.server";
import type { TogetherPick } from "../engine";

/** The anchor whose list has the most co-purchase orders (ties: the smaller id). */
function bestAnchor(lists: Record<string, TogetherPick[]>): string | null {
  let best: string | null = null;
  let most = 0;
  for (const [id, picks] of Object.entries(lists)) {
    const orders = picks.reduce((n, p) => n + p.orders, 0);
    if (orders > most || (orders == most && best !== null && id < best)) (best = id), (most = orders);
  }
  return best;
}
import { togetherWords } from "./explain";
import type { AdminScope } from "./offers.server";

export type SampleCustomer = "guest" | "new" | "returning";

export interface SampleCart {
  items: Array<{ variantId: string; quantity: number }>;
  currency: string;
  placement: Placement;
  customer: SampleCustomer;
  customerTags: string[];
  country: string;
}

export interface PreviewRequest {
  sample: SampleCart;
  /** The editor's unsaved offer (OfferInput JSON). */
  draft?: unknown;
  /** The offer being edited (its saved version is replaced by the draft). */
  offerId?: string | null;
}

export interface PreviewItem {
  title: string;
  variantTitle?: string;
  image?: string;
  quantity: number;
  priceBefore: string;
  priceAfter: string;
  discounted: boolean;
  difference?: string;
  /** Why a frequently-bought-together item was chosen, in the merchant's words. */
  why?: string;
  /** The social proof shoppers see with it ("Bought together 12 times this month"). */
  proof?: string;
  /** Its rating from the product's reviews metafields ("4.6 ★ (128 reviews)"). */
  rating?: string;
}

export interface PreviewOffer {
  id: string;
  name: string;
  kind: OfferKind;
  title?: string;
  isDraft: boolean;
  discount?: string;
  endsAt?: string;
  items: PreviewItem[];
}

export interface PreviewSkip {
  id: string;
  name: string;
  isDraft: boolean;
  reason: SkipReason;
  words: string;
}

export interface PreviewResult {
  currency: string;
  placement: Placement;
  lines: Array<{ title: string; variantTitle?: string; quantity: number; unitPrice: string; viewed?: boolean }>;
  subtotal: string;
  offers: PreviewOffer[];
  skipped: PreviewSkip[];
  freeShipping: { threshold: string; remaining: string; progress: number; reached: boolean } | null;
  rewardTiers: Array<{ label: string; threshold: string; remaining: string; reached: boolean }>;
  discounts: Array<{ label: string; amount: string }>;
  diagnostics: string[];
  draftErrors: FieldErrors;
  notes: string[];
  /** The cart previewed: the merchant's, or (when they chose none) one holding what
   *  triggers the edited offer. Label prices are in `currency` (the sample cart's). */
  sample: { items: Array<{ variantId: string; quantity: number }>; auto: boolean; labels: Labels };
}

export const DRAFT_ID = "draft";

/** Coerces an untrusted sample (a form post) into a `SampleCart`. */
export function coerceSample(raw: unknown, currencies: string[]): SampleCart {
  const x = (raw && typeof raw == "object" ? raw : {}) as Record<string, any>;
  const items = Array.isArray(x.items)
    ? x.items
        .map((i: any) => ({ variantId: String(i?.variantId ?? ""), quantity: Math.min(99, Math.max(1, Math.floor(Number(i?.quantity) || 1))) }))
        .filter((i: { variantId: string }) => /^\d+$/.test(i.variantId))
        .slice(0, 20)
    : [];
  return {
    items,
    currency: currencies.includes(x.currency) ? x.currency : currencies[0],
    placement: PLACEMENTS.includes(x.placement) ? x.placement : "cart",
    customer: ["guest", "new", "returning"].includes(x.customer) ? x.customer : "guest",
    customerTags: Array.isArray(x.customerTags) ? x.customerTags.map(String).filter(Boolean).slice(0, 20) : [],
    country: typeof x.country == "string" && /^[A-Za-z]{2}$/.test(x.country) ? x.country.toUpperCase() : "",
  };
}

export async function previewOffers(scope: AdminScope, request: { sample: unknown; draft?: unknown; offerId?: string | null }, locale = "en-US"): Promise<PreviewResult> {
  const context = await loadShopContext(scope.admin, scope.shop);
  const sample = coerceSample(request.sample, context.currencies);
  const now = Date.now();
  const notes: string[] = [];
  const [offers, shopRow, editing] = await Promise.all([
    liveOffers(scope.shop, new Date(now)),
    prisma.shop.findUnique({ where: { shop: scope.shop } }),
    request.offerId ? getOffer(scope.shop, request.offerId) : Promise.resolve(null),
  ]);
  const settings = readSettings(shopRow?.settings);

  // The draft: validated like a save; an invalid draft is left out (and says why).
  let draft: OfferRecord | null = null;
  let draftErrors: FieldErrors = {};
  const draftId = editing?.id ?? DRAFT_ID;
  const draftInput = request.draft ? coerceInput(request.draft) : null;
  let auto = false;
  if (!sample.items.length && draftInput) {
    // No cart chosen yet: preview a cart holding what triggers the offer being edited.
    // Frequently bought together with no trigger: the product with the most mined evidence.
    const mined = draftInput.kind == "cross_sell" && draftInput.source == "fbt" ? bestAnchor(await togetherLists(scope.shop)) : null;
    const first =
      draftInput.trigger.variants[0] ??
      (draftInput.trigger.products[0] ? await firstVariantOf(scope.admin, draftInput.trigger.products[0]) : null) ??
      draftInput.components[0]?.variantId ??
      (mined ? await firstVariantOf(scope.admin, mined) : null) ??
      null;
    if (first) {
      sample.items = [{ variantId: first, quantity: 1 }];
      auto = true;
    }
  }
  const draftVariants = draftInput
    ? [...draftInput.variants, ...draftInput.components.map((c) => c.variantId)]
    : [];

  const offerVariants = offers.flatMap((o) => namedVariants(o.definition));
  const gifts = settings.rewardTiers.flatMap((t) => (t.gift ? [t.gift] : []));
  const [catalogVariants, sampleVariants, rates] = await Promise.all([
    loadVariants(scope.admin, [...offerVariants, ...draftVariants, ...gifts], context.currency),
    loadVariants(scope.admin, sample.items.map((i) => i.variantId), context.currency, { collections: true }),
    sample.currency == context.currency ? Promise.resolve({} as Record<string, number>) : loadCurrencyRates(scope.admin),
  ]);
  let catalog = snapshotOf([...catalogVariants.values(), ...sampleVariants.values()]);

  if (draftInput) {
    const result = validateInput(draftInput, context.currency, catalog);
    if (result.ok) {
      const base = editing ?? { id: draftId, version: 0, createdAt: new Date(now), updatedAt: new Date(now) };
      draft = { ...base, ...result.fields, id: draftId, status: "active" };
      if (result.fields.status == "paused") notes.push("This offer is paused: shoppers will not see it until you resume it. The preview shows it as if it were active.");
    } else {
      draftErrors = result.errors;
      const first = Object.values(result.errors)[0];
      notes.push(`The offer you are editing is left out of the preview until it is complete: ${first}`);
    }
  }
  const pool = offers.filter((o) => o.id != draftId);
  if (draft) pool.push(draft);
  else if (editing && draftInput) {
    /* the saved version stays out too: it is being replaced */
  } else if (editing) pool.push(editing);

  // Frequently bought together: the mined lists and their products, as the publisher
  // would expand them; the sample's products get their lists as the surfaces read them.
  const together = await loadTogether(scope.admin, scope.shop, pool, context.currency, catalogVariants.values());
  if (together) {
    catalog = { ...togetherCatalog([...catalogVariants.values(), ...sampleVariants.values()], together) };
    if (!Object.keys(together.lists).length)
      notes.push("No order history has been mined yet (see Recommendations): frequently-bought-together offers show your picks, then Shopify's recommendations on the storefront.");
  }

  const { ruleset } = compileRuleset({
    revision: 0,
    currency: context.currency,
    settings,
    offers: pool,
    catalog,
    now,
    withDisplay: false,
    alwaysInclude: draft?.id,
    together: togetherInput(together),
  });

  // The sample cart, priced in its currency.
  const rate = sample.currency == context.currency ? 1 : rates[sample.currency];
  const price = (v: VariantDetails) => (rate ? convertMinor(v.price, context.currency, sample.currency, rate) : v.price);
  const resolved = sample.items.flatMap((item) => {
    const v = sampleVariants.get(item.variantId);
    return v ? [{ v, quantity: item.quantity }] : [];
  });
  if (resolved.length < sample.items.length) notes.push("Some products in the sample cart are no longer in your catalog and were left out.");
  const viewed = sample.placement == "product" ? resolved[0] : undefined;
  const inCart = viewed ? resolved.slice(1) : resolved;
  const lines: CartLine[] = inCart.map(({ v, quantity }, i) => ({
    id: `line-${i + 1}`,
    productId: v.productId,
    variantId: v.variantId,
    quantity,
    unitPrice: price(v),
    tags: v.tags,
    collectionIds: v.collectionIds,
    vendor: v.vendor,
    productType: v.productType,
  }));
  const cart: Cart = { currency: sample.currency, lines };
  const ctx: Context = {
    placement: sample.placement,
    now,
    ...(sample.customer != "guest"
      ? { customer: { loggedIn: true, tags: sample.customerTags, orderCount: sample.customer == "new" ? 0 : 3 } }
      : {}),
    ...(sample.country ? { country: sample.country } : {}),
    ...(sample.currency != context.currency && rate ? { rate } : {}),
  };
  if (viewed) {
    const { v } = viewed;
    ctx.product = { productId: v.productId, variantId: v.variantId, unitPrice: price(v), tags: v.tags, collectionIds: v.collectionIds, vendor: v.vendor, productType: v.productType };
  }
  if (sample.placement == "add_to_cart_popup" && lines.length) ctx.addedLineId = lines[lines.length - 1].id;
  if (together) ctx.together = together.lists;

  const evaluation = evaluate(ruleset, cart, ctx);
  const money = (minor: number) => formatMoney(minor, sample.currency, locale);
  const byId = new Map(pool.map((o) => [o.id, o]));
  const nameOf = (id: string) => byId.get(id)?.name ?? id;
  const discountLabel = (d: { kind: string; value: number } | undefined) =>
    !d ? undefined : d.kind == "percent" ? `${d.value}% off` : `${money(d.value)} off`;

  return {
    currency: sample.currency,
    placement: sample.placement,
    lines: [
      ...(viewed ? [{ title: viewed.v.productTitle, variantTitle: viewed.v.variantTitle ?? undefined, quantity: 1, unitPrice: money(price(viewed.v)), viewed: true }] : []),
      ...inCart.map(({ v, quantity }) => ({ title: v.productTitle, variantTitle: v.variantTitle ?? undefined, quantity, unitPrice: money(price(v)) })),
    ],
    subtotal: money(lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0)),
    offers: evaluation.offers.map((o) => ({
      id: o.id,
      name: nameOf(o.id),
      kind: o.kind,
      title: o.title,
      isDraft: o.id == draftId && !!draft,
      discount: discountLabel(o.discount),
      endsAt: o.endsAt,
      items: o.items.map((item) => ({
        title: itemDisplay(item).title ?? "This product",
        variantTitle: itemDisplay(item).variantTitle,
        image: itemDisplay(item).image,
        quantity: item.quantity,
        priceBefore: money(item.priceBefore),
        priceAfter: money(item.priceAfter),
        discounted: item.priceAfter < item.priceBefore,
        difference: item.difference === undefined ? undefined : `${item.difference >= 0 ? "+" : "−"}${money(Math.abs(item.difference))}`,
        ...togetherWords(item, item.product?.rating ?? catalog[item.productId]?.rating),
      })),
    })),
    skipped: [...evaluation.skipped].sort((a, b) => Number(b.offerId == draftId) - Number(a.offerId == draftId)).map((s) => {
      const offer = byId.get(s.offerId);
      return {
        id: s.offerId,
        name: nameOf(s.offerId),
        isDraft: s.offerId == draftId && !!draft,
        reason: s.reason,
        words: explainSkip(s.reason, {
          placement: sample.placement,
          placements: offer?.placements,
          startsAt: offer?.startsAt?.toISOString(),
          endsAt: offer?.endsAt?.toISOString(),
          anchorShare: offer?.definition.anchorShare ?? settings.anchorShare,
          maxOffers: settings.maxOffers,
          audienceCustomer: offer?.definition.audience?.customer,
          timezone: context.timezone,
          locale,
        }),
      };
    }),
    freeShipping: evaluation.freeShipping
      ? {
          threshold: money(evaluation.freeShipping.threshold),
          remaining: money(evaluation.freeShipping.remaining),
          progress: evaluation.freeShipping.progress,
          reached: evaluation.freeShipping.reached,
        }
      : null,
    rewardTiers: evaluation.rewardTiers.map((t) => ({ label: t.label, threshold: money(t.threshold), remaining: money(t.remaining), reached: t.reached })),
    discounts: evaluation.discounts.map((d) =>
      d.kind == "freeShipping"
        ? { label: d.message, amount: "Free shipping" }
        : { label: `${d.message} (${nameOf(d.offerId)})`, amount: `−${money(d.amount)}` },
    ),
    diagnostics: evaluation.diagnostics.map((d) => explainDiagnostic(d.code, d.message, d.path)),
    draftErrors,
    notes,
    sample: {
      items: sample.items,
      auto,
      labels: Object.fromEntries(
        [...sampleVariants.values()].map((v) => [
          `variant:${v.variantId}`,
          // Priced in the sample cart's currency, as the shopper would see it.
          { title: v.productTitle, subtitle: v.variantTitle ?? undefined, image: v.image, price: price(v), available: v.available },
        ]),
      ),
    },
  };
}
