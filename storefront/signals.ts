// What the page-view loader hands the engine-bearing script: cart signals from the theme
// (Shopify's standard `shopify:cart:lines-update` event, Dawn's `cart-update` publish)
// and shopper interaction. Shared types only.
export type Signal =
  | {
      kind: "lines";
      action: "add" | "remove" | "update";
      /** "product" | "cart" | "dialog" | "standard-action" */
      context: string;
      /** Numeric variant id of an added line, when the event says. */
      variantId?: string;
      promise?: Promise<unknown>;
    }
  | { kind: "dawn"; source?: string; variantId?: string }
  | { kind: "interaction" }
  /** A click on a Liquid-rendered Cartlift button before the script was there. */
  | { kind: "click"; act: string };

export interface AppHost {
  /** The parsed page configuration (cartlift-config). */
  config: PageConfig;
  /** Signals so far; then delivered as they come. */
  listen(handler: (signal: Signal) => void): void;
}

export interface PageConfig {
  ruleset: unknown;
  app: string;
  shopCurrency: string;
  currency: string;
  moneyFormat: string;
  cart: { total: number; lines: string[]; quantities: number[] };
  /** Product id → its frequently-bought-together metafield value (the cart's products). */
  together?: Record<string, unknown>;
  template: string;
  locale: string;
  country?: string;
  customer: { loggedIn: boolean; id?: number | string; tags?: string[]; orderCount?: number } | null;
  popup: boolean;
  drawer: string;
  /** The merchant's theme-editor texts (blank: not set). */
  overrides: Record<string, string | null>;
  texts: Record<string, string>;
}
