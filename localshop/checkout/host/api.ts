// The `shopify` global the local checkout gives each extension target: the 2026-07 checkout
// API's StandardApi (plus CheckoutApi in checkout, OrderConfirmationApi on the thank-you
// page), backed by the checkout the server computed. What Cartlift's extension uses is
// complete and faithful (lines, attributes, cost, localization, appMetafields, instructions,
// settings, i18n, applyCartLinesChange, applyAttributeChange); the rest is present with honest defaults, and mutations the
// local checkout does not support answer with an error result instead of pretending.
import type { CheckoutView } from "../checkout";
import { HostSignal } from "./signal";
import { createI18n } from "./i18n";

export const API_VERSION = "2026-07";

export interface HostOptions {
  target: string;
  scriptUrl: string;
  /** The buyer's language (BCP-47, a published shop locale). */
  language: string;
  /** The extension's locale file that matched it (its default locale's when none did). */
  extensionLanguage: string;
  /** The extension's translations for that language (locales/<locale>.json over the default). */
  translations: Record<string, unknown>;
  settings: Record<string, unknown>;
  /** Draft-order-like checkouts where lines cannot change. */
  locked: boolean;
  timeZone: string;
}

type ApiLine = Omit<CheckoutView["lines"][number], "display">;

const apiLines = (view: CheckoutView): ApiLine[] => view.lines.map(({ display: _display, ...line }) => line);

function instructionsFor(locked: boolean) {
  return {
    attributes: { canUpdateAttributes: !locked },
    delivery: { canSelectCustomAddress: !locked },
    discounts: { canUpdateDiscountCodes: !locked },
    lines: { canAddCartLine: !locked, canRemoveCartLine: !locked, canUpdateCartLine: !locked },
    metafields: { canDeleteCartMetafield: !locked, canSetCartMetafields: !locked },
    notes: { canUpdateNote: !locked },
  };
}

/** The parts every target shares, and `update` to push a new checkout into them. */
export function createStandardApi(view: CheckoutView, options: HostOptions) {
  const s = <T>(v: T) => new HostSignal(v);
  const lines = s(apiLines(view));
  const cost = {
    subtotalAmount: s(view.cost.subtotalAmount),
    totalShippingAmount: s(view.cost.totalShippingAmount),
    totalTaxAmount: s(undefined),
    totalAmount: s(view.cost.totalAmount),
  };
  const appMetafields = s(view.appMetafields);
  const attributes = s(view.attributes);
  const deliveryGroups = s(view.deliveryGroups);
  const discountAllocations = s(view.discountAllocations);
  const discountCodes = s(view.discountCodes);
  const storageKey = (key: string) => `cartlift-checkout-offers:${key}`;
  let token: { value: string; until: number } | undefined;
  let rendered = true;
  const api = {
    extension: {
      apiVersion: API_VERSION,
      target: options.target,
      capabilities: s([] as string[]),
      editor: undefined,
      rendered: s(rendered),
      scriptUrl: options.scriptUrl,
      version: "local",
    },
    extensionPoint: options.target,
    version: "local",
    lines,
    cost,
    appMetafields,
    deliveryGroups,
    discountAllocations,
    discountCodes,
    appliedGiftCards: s([]),
    attributes,
    note: s(undefined as string | undefined),
    instructions: s(instructionsFor(options.locked)),
    settings: s(options.settings),
    localization: {
      currency: s({ isoCode: view.currency }),
      timezone: s(options.timeZone),
      language: s({ isoCode: options.language }),
      extensionLanguage: s({ isoCode: options.extensionLanguage }),
      country: s({ isoCode: view.country }),
      market: s({ id: "gid://shopify/Market/1", handle: "local" }),
    },
    // Numbers, money and dates in the buyer's language; translations from the matched file.
    i18n: createI18n(options.language, view.currency, options.timeZone, options.translations as never),
    shop: view.shop,
    buyerIdentity: {
      customer: s(undefined),
      email: s("shopper@example.com" as string | undefined),
      phone: s(undefined as string | undefined),
      purchasingCompany: s(undefined),
    },
    buyerJourney: {
      completed: s(false),
      steps: s([{ handle: "checkout", label: "Checkout", to: "/checkout", disabled: false }]),
      activeStep: s({ handle: "checkout" }),
      intercept: async () => () => undefined,
    },
    checkoutSettings: s({
      orderSubmission: "ORDER",
      paymentTermsTemplate: undefined,
      shippingAddress: { isEditable: true },
    }),
    checkoutToken: s(view.cartToken as string | undefined),
    availablePaymentOptions: s([{ type: "creditCard", handle: "local-test-payment" }]),
    selectedPaymentOptions: s([{ type: "creditCard", handle: "local-test-payment" }]),
    customerPrivacy: s({
      allowedProcessing: { analytics: true, marketing: false, preferences: true, saleOfData: false },
      metafields: [],
      shouldShowBanner: false,
      visitorConsent: {},
      region: { countryCode: view.country },
      saleOfDataRegion: false,
    }),
    applyTrackingConsentChange: async () => ({ type: "success" as const }),
    analytics: {
      // Custom events go to the page's web pixels manager (the app pixels), as on Shopify.
      publish: async (name: string, data?: Record<string, unknown>) => (window as { Shopify?: { analytics?: { publish?: (n: string, d?: unknown) => boolean } } }).Shopify?.analytics?.publish?.(name, data) ?? false,
      visitor: async () => ({ type: "success" as const }),
    },
    storage: {
      read: async (key: string) => {
        const raw = localStorage.getItem(storageKey(key));
        return raw == null ? null : JSON.parse(raw);
      },
      write: async (key: string, value: unknown) => localStorage.setItem(storageKey(key), JSON.stringify(value)),
      delete: async (key: string) => localStorage.removeItem(storageKey(key)),
    },
    sessionToken: {
      // Signed by the local shop with the app's secret, as Shopify signs them (cached until
      // a minute before it expires).
      get: async () => {
        if (token && token.until > Date.now()) return token.value;
        const response = await fetch("/checkout/session-token");
        if (!response.ok) throw new Error(`The checkout issued no session token (${response.status})`);
        token = { value: ((await response.json()) as { token: string }).token, until: Date.now() + 4 * 60_000 };
        return token.value;
      },
    },
    query: async () => ({ errors: [{ message: "The local checkout has no Storefront API" }] }),
    extend(target: string, render: () => unknown) {
      if (target != options.target) return;
      Promise.resolve()
        .then(render)
        .catch((error) => {
          rendered = false;
          api.extension.rendered.set(false);
          console.error(`extension target ${target} failed`, error);
        });
    },
    reload() {
      location.reload();
    },
  };
  function update(next: CheckoutView) {
    lines.set(apiLines(next));
    cost.subtotalAmount.set(next.cost.subtotalAmount);
    cost.totalShippingAmount.set(next.cost.totalShippingAmount);
    cost.totalAmount.set(next.cost.totalAmount);
    appMetafields.set(next.appMetafields);
    attributes.set(next.attributes);
    deliveryGroups.set(next.deliveryGroups);
    discountAllocations.set(next.discountAllocations);
    discountCodes.set(next.discountCodes);
  }
  return { api, update };
}

const unsupported = (what: string) => async () => ({ type: "error" as const, message: `${what} is not supported by the local checkout` });

/** Checkout targets: StandardApi + CheckoutApi. `send` posts a line change (or, to the
 *  path given, an attribute change) to the server. */
export function createCheckoutApi(
  view: CheckoutView,
  options: HostOptions,
  send: (change: unknown, path?: string) => Promise<{ type: "success" } | { type: "error"; message: string }>,
) {
  const standard = createStandardApi(view, options);
  const instructions = standard.api.instructions;
  const api = Object.assign(standard.api, {
    async applyCartLinesChange(change: { type?: string }) {
      const lines = instructions.value.lines;
      const allowed =
        change?.type == "addCartLine" ? lines.canAddCartLine : change?.type == "removeCartLine" ? lines.canRemoveCartLine : lines.canUpdateCartLine;
      if (!allowed) return { type: "error" as const, message: "Cart lines can’t be changed in this checkout." };
      return send(change);
    },
    async applyAttributeChange(change: unknown) {
      if (!instructions.value.attributes.canUpdateAttributes) return { type: "error" as const, message: "Attributes can’t be changed in this checkout." };
      return send(change, "/checkout/attributes");
    },
    applyNoteChange: unsupported("Changing the note"),
    async applyDiscountCodeChange(change: unknown) {
      if (!instructions.value.discounts.canUpdateDiscountCodes) return { type: "error" as const, message: "Discount codes can’t be changed in this checkout." };
      return send(change, "/checkout/discount-codes");
    },
    applyGiftCardChange: unsupported("Gift cards"),
    applyMetafieldChange: unsupported("Cart metafields"),
    applyShippingAddressChange: unsupported("Changing the address"),
  });
  return { api, update: standard.update };
}

/** Thank-you targets: StandardApi + OrderConfirmationApi. */
export function createThankYouApi(view: CheckoutView, options: HostOptions, order: { id: string; number: string; isFirstOrder: boolean }) {
  const standard = createStandardApi(view, options);
  const api = Object.assign(standard.api, {
    orderConfirmation: new HostSignal({ order: { id: order.id }, number: order.number, isFirstOrder: order.isFirstOrder }),
  });
  api.buyerJourney.completed.set(true);
  api.checkoutToken.set(undefined);
  return { api, update: standard.update };
}
