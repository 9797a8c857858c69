// `shopify.i18n` of the local checkout: translations from the extension's locales file with
// `{{placeholder}}` interpolation and `count` pluralization (Intl.PluralRules categories),
// and Intl-based number, currency and date formatting in the buyer's locale.
type Translations = { [key: string]: string | Translations };

export function createI18n(locale: string, currency: string, timeZone: string, translations: Translations) {
  const plural = new Intl.PluralRules(locale);
  const lookup = (key: string): string | Translations | undefined =>
    key.split(".").reduce<string | Translations | undefined>((node, part) => (node && typeof node == "object" ? node[part] : undefined), translations);
  return {
    translate(key: string, options: Record<string, unknown> = {}): string {
      let entry = lookup(key);
      if (entry && typeof entry == "object" && typeof options.count == "number")
        entry = entry[plural.select(options.count)] ?? entry.other;
      if (typeof entry != "string") return key;
      return entry.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, name: string) => (name in options ? String(options[name]) : m));
    },
    formatNumber: (n: number | bigint, options: Intl.NumberFormatOptions & { inExtensionLocale?: boolean } = {}) => {
      const { inExtensionLocale: _, ...rest } = options;
      return new Intl.NumberFormat(locale, rest).format(n);
    },
    formatCurrency: (n: number | bigint, options: Intl.NumberFormatOptions & { inExtensionLocale?: boolean } = {}) => {
      const { inExtensionLocale: _, ...rest } = options;
      return new Intl.NumberFormat(locale, { style: "currency", currency, ...rest }).format(n);
    },
    formatDate: (date: Date, options: Intl.DateTimeFormatOptions & { inExtensionLocale?: boolean } = {}) => {
      const { inExtensionLocale: _, ...rest } = options;
      return new Intl.DateTimeFormat(locale, { timeZone, ...rest }).format(date);
    },
  };
}
