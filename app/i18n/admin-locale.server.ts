// The merchant's language for the admin's Polaris texts. Shopify opens an embedded app with
// `?locale=` (the merchant's admin language); an online session carries it too; outside
// Shopify the browser's Accept-Language decides. Polaris ships translations for some
// languages only: the closest one is used, English otherwise.
import type { AppProviderProps } from "@shopify/polaris";

/** Polaris's translation dictionary (nested strings). */
type TranslationDictionary = Extract<AppProviderProps["i18n"], Record<string, unknown>> & Record<string, unknown>;

type Loader = () => Promise<{ default: TranslationDictionary }>;

const POLARIS_LOCALES: Record<string, Loader> = {
  en: () => import("@shopify/polaris/locales/en.json"),
  es: () => import("@shopify/polaris/locales/es.json"),
  ja: () => import("@shopify/polaris/locales/ja.json"),
  ko: () => import("@shopify/polaris/locales/ko.json"),
  "pt-BR": () => import("@shopify/polaris/locales/pt-BR.json"),
  "pt-PT": () => import("@shopify/polaris/locales/pt-PT.json"),
  de: () => import("@shopify/polaris/locales/de.json"),
  fr: () => import("@shopify/polaris/locales/fr.json"),
  it: () => import("@shopify/polaris/locales/it.json"),
  nl: () => import("@shopify/polaris/locales/nl.json"),
  "zh-CN": () => import("@shopify/polaris/locales/zh-CN.json"),
  "zh-TW": () => import("@shopify/polaris/locales/zh-TW.json"),
};

/** The Polaris locale closest to a BCP 47 tag: exact, then its language, else English. */
export function polarisLocaleFor(tag: string | null | undefined): string {
  if (!tag) return "en";
  const [language, region] = tag.trim().replace("_", "-").split("-");
  const exact = region ? `${language.toLowerCase()}-${region.toUpperCase()}` : language.toLowerCase();
  if (exact in POLARIS_LOCALES) return exact;
  if (language.toLowerCase() === "pt") return "pt-BR";
  if (language.toLowerCase() === "zh") return "zh-CN";
  return language.toLowerCase() in POLARIS_LOCALES ? language.toLowerCase() : "en";
}

/** The merchant's locale tag for this request, before matching it to Polaris. */
export function requestedAdminLocale(request: Request, sessionLocale?: string | null): string | null {
  const fromShopify = new URL(request.url).searchParams.get("locale");
  if (fromShopify) return fromShopify;
  if (sessionLocale) return sessionLocale;
  const accept = request.headers.get("accept-language");
  return accept ? accept.split(",")[0].split(";")[0] : null;
}

export async function polarisTranslations(locale: string): Promise<TranslationDictionary> {
  const load = POLARIS_LOCALES[locale] ?? POLARIS_LOCALES.en;
  return (await load()).default;
}
