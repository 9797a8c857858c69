// Shopper-facing texts: the extension's locale strings (rendered by Liquid's `t` into the
// page config, `{amount}`-style placeholders left for the script) with the merchant's
// overrides already applied.
export type Texts = Record<string, string>;

/** "You're {amount} away" + { amount: "$5.00" } → "You're $5.00 away". Unknown names stay. */
export const fill = (template: string, vars: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (all, name) => (name in vars ? String(vars[name]) : all));
