// What the checkout says, and in which language: the merchant's published texts for the
// buyer's language over the extension's own translations (offers.ts, ui.tsx), and the local
// checkout resolving the buyer's language and the extension's locale files as Shopify does.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { merchantTexts } from "../../../extensions/checkout-offers/src/offers";
import { formatFor } from "../../../extensions/checkout-offers/src/ui";
import { displaySettings, readSettings } from "../../../app/settings/settings";
import { extensionTranslations, publishedLanguage } from "../../../localshop/checkout/index";
import { createLocalShop } from "../../../localshop/state";
import { createI18n } from "../../../localshop/checkout/host/i18n";

const published = (texts: Record<string, Record<string, string>>) => displaySettings(readSettings({ texts }));

describe("the merchant's texts at checkout", () => {
  it("takes the buyer's language's published texts under the extension's keys", () => {
    const texts = merchantTexts(published({ fr: { add: "Ajouter à ma commande" } }), "fr");
    expect(texts["add"]).toBe("Ajouter à ma commande");
    expect(texts["offersHeading"]).toBe("Vous aimerez aussi");
    expect(texts["freeShippingProgress"]).toBe("Plus que {amount} pour la livraison gratuite");
    // The storefront's countdown ("Offer ends in {time}") is no checkout text: checkout says its date.
    expect(extensionTranslations("en").translations).not.toHaveProperty("endsIn");
  });

  it("falls back from a regional language to its base, and to nothing for a language without texts", () => {
    expect(merchantTexts(published({ fr: { add: "Ajouter" } }), "fr-CA")["add"]).toBe("Ajouter");
    expect(merchantTexts(published({}), "de")).toEqual({});
    expect(merchantTexts(undefined, "fr")).toEqual({});
  });

  it("formats with the merchant's words first, then the extension's translations, in the buyer's locale", () => {
    const { translations } = extensionTranslations("fr");
    const i18n = createI18n("fr", "USD", "America/New_York", translations as never);
    const f = formatFor(i18n, "USD", merchantTexts(published({ fr: { freeShippingProgress: "Encore {amount} !" } }), "fr"));
    const amount = new Intl.NumberFormat("fr", { style: "currency", currency: "USD" }).format(25);
    expect(f.t("freeShippingProgress", { amount: f.money(2500) })).toBe(`Encore ${amount} !`);
    expect(f.t("freeShippingLabel")).toBe("Progression vers la livraison gratuite");
    expect(f.t("dismissLabel", { title: "Étui" })).toBe("Non merci : Étui");
  });
});

describe("the local checkout's languages", () => {
  it("resolves the extension's locale file as Shopify does: exact, then base language, then the default", () => {
    expect(extensionTranslations("fr").extensionLanguage).toBe("fr");
    expect(extensionTranslations("fr-CA").extensionLanguage).toBe("fr");
    expect(extensionTranslations("pt-BR").extensionLanguage).toBe("pt-BR");
    expect(extensionTranslations("de").extensionLanguage).toBe("en");
    expect(extensionTranslations("de").translations.offersHeading).toBe("You might also like");
  });

  it("keeps every key of the default locale in every locale file (a missing key would fall back to English)", () => {
    const keys = (o: object, prefix = ""): string[] =>
      Object.entries(o).flatMap(([k, v]) => (v && typeof v == "object" && !("one" in v || "other" in v) ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
    const expected = keys(extensionTranslations("en").translations).sort();
    for (const language of ["fr", "ja", "es", "ko", "pt-BR", "hy"]) {
      const own = JSON.parse(readFileSync(`extensions/checkout-offers/locales/${language}.json`, "utf8"));
      expect(keys(own).sort(), language).toEqual(expected);
    }
  });

  it("gives every counted text each plural form its language uses (Intl.PluralRules, as Shopify's i18n picks them)", () => {
    for (const language of ["en", "fr", "ja", "es", "ko", "pt-BR", "hy"]) {
      // The file itself (the local checkout lays a language's file over the default's).
      const translations = JSON.parse(readFileSync(`extensions/checkout-offers/locales/${language == "en" ? "en.default" : language}.json`, "utf8"));
      const forms = new Intl.PluralRules(language).resolvedOptions().pluralCategories.slice().sort();
      for (const key of ["addMore", "proof"]) expect(Object.keys(translations[key] as object).sort(), `${language} ${key}`).toEqual(forms);
    }
  });

  it("says how often a pick was bought together this month in the buyer's language, singular and plural", () => {
    const proof = (language: string, count: number) => createI18n(language, "USD", "UTC", extensionTranslations(language).translations as never).translate("proof", { count });
    expect(proof("en", 7)).toBe("Bought together 7 times this month");
    expect(proof("en", 1)).toBe("Bought together 1 time this month");
    expect(proof("fr", 7)).toBe("Achetés ensemble 7 fois ce mois-ci");
    expect(proof("ja", 7)).toBe("今月 7 回一緒に購入されています");
    expect(proof("es", 7)).toBe("Comprados juntos 7 veces este mes");
    expect(proof("es", 1)).toBe("Comprados juntos 1 vez este mes");
    expect(proof("ko", 7)).toBe("이번 달 7번 함께 구매됨");
    expect(proof("pt-BR", 7)).toBe("Comprados juntos 7 vezes este mês");
    expect(proof("pt-BR", 1)).toBe("Comprados juntos 1 vez este mês");
    expect(proof("hy", 7)).toBe("Այս ամիս միասին գնվել է 7 անգամ");
  });

  it("speaks only the shop's published languages", () => {
    const state = createLocalShop();
    expect(publishedLanguage(state, "FR")).toBe("fr");
    expect(publishedLanguage(state, "fr-CA")).toBe("fr");
    expect(publishedLanguage(state, "ja")).toBe("ja");
    expect(publishedLanguage(state, "de")).toBeUndefined();
    expect(publishedLanguage(state, null)).toBeUndefined();
  });
});
