// Shopper-facing texts. Three layers, the later winning:
// 1. the extension's locale strings, rendered by Liquid's `t` into the page config in the
//    shopper's language (`{amount}`-style placeholders left for the script);
// 2. the merchant's texts from the admin, published with the ruleset
//    (`display.texts[language]`, under the admin's key names);
// 3. the merchant's theme-editor settings of the block or embed (non-blank ones).
export type Texts = Record<string, string>;

/** "You're {amount} away" + { amount: "$5.00" } → "You're $5.00 away". Unknown names stay. */
export const fill = (template: string, vars: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (all, name) => (name in vars ? String(vars[name]) : all));

/** The admin's text keys (app/settings) → the storefront's. */
const PUBLISHED: Record<string, string> = {
  offersHeading: "offers_heading",
  bundleHeading: "bundle_heading",
  upgradeHeading: "upgrade_heading",
  add: "add",
  addAll: "add_all",
  added: "added",
  upgrade: "upgrade",
  dismiss: "no_thanks",
  freeShippingProgress: "bar_away",
  freeShippingReached: "bar_reached",
  endsIn: "ends",
  save: "saving",
};

export interface Display {
  texts?: Record<string, Record<string, string>>;
  colors?: Record<string, string> | null;
}

export function resolveTexts(locale: Texts, display: Display | undefined, language: string, overrides: Record<string, string | null | undefined> = {}): Texts {
  const out = { ...locale };
  const published = display?.texts?.[language] || display?.texts?.[language.split("-")[0]];
  if (published) for (const [key, value] of Object.entries(published)) if (PUBLISHED[key] && typeof value == "string" && value.trim()) out[PUBLISHED[key]] = value;
  for (const [key, value] of Object.entries(overrides)) if (typeof value == "string" && value.trim()) out[key] = value;
  return out;
}

/** "in how long": 2 days / 5 hours / 12 minutes, in the shopper's language. */
export function timeLeft(endsAt: string, now: number, locale: string): string {
  const ms = Date.parse(endsAt) - now;
  const [value, unit] = ms >= 86_400_000 ? [Math.floor(ms / 86_400_000), "day"] : ms >= 3_600_000 ? [Math.floor(ms / 3_600_000), "hour"] : [Math.max(1, Math.ceil(ms / 60_000)), "minute"];
  try {
    return new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "long" }).format(value);
  } catch {
    return `${value} ${unit}${value == 1 ? "" : "s"}`;
  }
}
