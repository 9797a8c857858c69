// Shop settings: the free-shipping goal and reward tiers (per currency), how many offers a
// placement shows, the price-anchoring share, storefront texts per language and widget
// colours. Stored in `Shop.settings` (JSON), validated with the engine's ruleset rules,
// and published in the ruleset: `shop` for what the engine decides, `display` for what
// only surfaces render. Pure: the settings page and the services share it.
import { decimalToMinor, minorDigits, parseRuleset, type ProductSnapshot, type Ruleset, type ShopSettings } from "../engine";
import { minorToInput, UNSAFE_TEXT, type FieldErrors } from "../offers/model";
import { DEFAULT_HOLDOUT, MAX_HOLDOUT_SHARE, type HoldoutSettings } from "../analytics/holdout";

export const LANGUAGES = ["en", "es", "ko", "ja", "pt-BR", "hy", "fr"] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: "English",
  es: "Spanish · Español",
  ko: "Korean · 한국어",
  ja: "Japanese · 日本語",
  "pt-BR": "Portuguese (Brazil) · Português",
  hy: "Armenian · Հայերեն",
  fr: "French · Français",
};

export const TEXT_KEYS = [
  "offersHeading",
  "bundleHeading",
  "upgradeHeading",
  "add",
  "addAll",
  "added",
  "upgrade",
  "dismiss",
  "freeShippingProgress",
  "freeShippingReached",
  "endsIn",
  "save",
] as const;
export type TextKey = (typeof TEXT_KEYS)[number];
export type Texts = Record<TextKey, string>;

export const TEXT_LABELS: Record<TextKey, string> = {
  offersHeading: "Cross-sell heading",
  bundleHeading: "Bundle heading",
  upgradeHeading: "Upgrade heading",
  add: "Add button",
  addAll: "Add-all button",
  added: "Added state",
  upgrade: "Upgrade button",
  dismiss: "Dismiss link",
  freeShippingProgress: "Free-shipping progress ({amount})",
  freeShippingReached: "Free shipping reached",
  endsIn: "Countdown ({time})",
  save: "Saving ({amount})",
};

/** The storefront's words in every language the widgets support; merchants override. */
export const DEFAULT_TEXTS: Record<Language, Texts> = {
  en: {
    offersHeading: "You may also like",
    bundleHeading: "Buy together and save",
    upgradeHeading: "Upgrade your choice",
    add: "Add",
    addAll: "Add all to cart",
    added: "Added",
    upgrade: "Upgrade",
    dismiss: "No thanks",
    freeShippingProgress: "You're {amount} away from free shipping",
    freeShippingReached: "You've unlocked free shipping!",
    endsIn: "Offer ends in {time}",
    save: "Save {amount}",
  },
  es: {
    offersHeading: "También te puede gustar",
    bundleHeading: "Cómpralos juntos y ahorra",
    upgradeHeading: "Mejora tu elección",
    add: "Añadir",
    addAll: "Añadir todo al carrito",
    added: "Añadido",
    upgrade: "Mejorar",
    dismiss: "No, gracias",
    freeShippingProgress: "Te faltan {amount} para el envío gratis",
    freeShippingReached: "¡Tienes envío gratis!",
    endsIn: "La oferta termina en {time}",
    save: "Ahorra {amount}",
  },
  ko: {
    offersHeading: "이런 상품은 어떠세요",
    bundleHeading: "함께 구매하고 할인받으세요",
    upgradeHeading: "더 좋은 옵션으로 업그레이드",
    add: "추가",
    addAll: "모두 장바구니에 추가",
    added: "추가됨",
    upgrade: "업그레이드",
    dismiss: "괜찮습니다",
    freeShippingProgress: "{amount} 더 구매하면 무료 배송",
    freeShippingReached: "무료 배송이 적용되었습니다!",
    endsIn: "{time} 후 종료",
    save: "{amount} 절약",
  },
  ja: {
    offersHeading: "こちらもおすすめ",
    bundleHeading: "まとめて買ってお得に",
    upgradeHeading: "ワンランク上を選ぶ",
    add: "追加",
    addAll: "すべてカートに追加",
    added: "追加済み",
    upgrade: "アップグレード",
    dismiss: "結構です",
    freeShippingProgress: "あと{amount}で送料無料",
    freeShippingReached: "送料無料になりました！",
    endsIn: "残り{time}で終了",
    save: "{amount}お得",
  },
  "pt-BR": {
    offersHeading: "Você também pode gostar",
    bundleHeading: "Compre junto e economize",
    upgradeHeading: "Faça um upgrade",
    add: "Adicionar",
    addAll: "Adicionar tudo ao carrinho",
    added: "Adicionado",
    upgrade: "Fazer upgrade",
    dismiss: "Não, obrigado",
    freeShippingProgress: "Faltam {amount} para o frete grátis",
    freeShippingReached: "Você ganhou frete grátis!",
    endsIn: "A oferta termina em {time}",
    save: "Economize {amount}",
  },
  hy: {
    offersHeading: "Ձեզ կարող է դուր գալ նաև",
    bundleHeading: "Գնեք միասին և խնայեք",
    upgradeHeading: "Բարելավեք ձեր ընտրությունը",
    add: "Ավելացնել",
    addAll: "Ավելացնել բոլորը զամբյուղ",
    added: "Ավելացված է",
    upgrade: "Բարելավել",
    dismiss: "Ոչ, շնորհակալություն",
    freeShippingProgress: "Անվճար առաքման համար մնաց {amount}",
    freeShippingReached: "Դուք ստացաք անվճար առաքում։",
    endsIn: "Առաջարկն ավարտվում է {time} հետո",
    save: "Խնայեք {amount}",
  },
  fr: {
    offersHeading: "Vous aimerez aussi",
    bundleHeading: "Achetez ensemble et économisez",
    upgradeHeading: "Passez à la gamme supérieure",
    add: "Ajouter",
    addAll: "Tout ajouter au panier",
    added: "Ajouté",
    upgrade: "Améliorer",
    dismiss: "Non merci",
    freeShippingProgress: "Plus que {amount} pour la livraison gratuite",
    freeShippingReached: "La livraison gratuite est à vous !",
    endsIn: "L’offre se termine dans {time}",
    save: "Économisez {amount}",
  },
};

export const COLOR_KEYS = ["accent", "accentText", "background", "text"] as const;
export type ColorKey = (typeof COLOR_KEYS)[number];
export const COLOR_LABELS: Record<ColorKey, string> = {
  accent: "Buttons and progress bar",
  accentText: "Button text",
  background: "Widget background",
  text: "Widget text",
};
/** `theme`: widgets inherit the theme's colours (the default). */
export type WidgetColors = { source: "theme" } | ({ source: "custom" } & Record<ColorKey, string>);
export const DEFAULT_CUSTOM_COLORS: Record<ColorKey, string> = {
  accent: "#1a1a1a",
  accentText: "#ffffff",
  background: "#ffffff",
  text: "#303030",
};

export interface RewardTierSetting {
  id: string;
  label: string;
  /** Shop minor units. */
  amount: number;
  /** Explicit thresholds per presentment currency (cart minor units). */
  amounts: Record<string, number>;
  /** Variant given free once reached. */
  gift?: string;
}

/** What `Shop.settings` holds. */
export interface ShopSettingsDoc {
  freeShipping: { enabled: boolean; amount: number; amounts: Record<string, number> };
  rewardTiers: RewardTierSetting[];
  /** Offers shown per placement. */
  maxOffers: number;
  /** Price anchoring: an add-on above this share of the cart is not shown. */
  anchorShare: number;
  /** Merchant overrides only; missing keys use `DEFAULT_TEXTS`. */
  texts: Partial<Record<Language, Partial<Texts>>>;
  colors: WidgetColors;
  /** The holdout (app/analytics/holdout.ts): the share of shoppers who see no offers. */
  holdout: HoldoutSettings;
}

export const MAX_OFFERS_LIMIT = 3;
export const MAX_REWARD_TIERS = 5;

export function defaultSettings(): ShopSettingsDoc {
  return {
    freeShipping: { enabled: false, amount: 7500, amounts: {} },
    rewardTiers: [],
    maxOffers: 3,
    anchorShare: 0.3,
    texts: {},
    colors: { source: "theme" },
    holdout: { ...DEFAULT_HOLDOUT },
  };
}

const isRecord = (x: unknown): x is Record<string, any> => typeof x == "object" && x !== null && !Array.isArray(x);
const HEX = /^#[0-9a-fA-F]{6}$/;

/** Reads whatever `Shop.settings` holds (older or partial documents) as a full document. */
export function readSettings(json: unknown): ShopSettingsDoc {
  const doc = defaultSettings();
  if (!isRecord(json)) return doc;
  const fs = json.freeShipping;
  if (isRecord(fs)) {
    doc.freeShipping = {
      enabled: fs.enabled === true,
      amount: Number.isSafeInteger(fs.amount) && fs.amount > 0 ? fs.amount : doc.freeShipping.amount,
      amounts: isRecord(fs.amounts) ? Object.fromEntries(Object.entries(fs.amounts).filter(([, v]) => Number.isSafeInteger(v) && (v as number) > 0)) as Record<string, number> : {},
    };
  }
  if (Array.isArray(json.rewardTiers))
    doc.rewardTiers = json.rewardTiers
      .filter((t): t is Record<string, any> => isRecord(t) && typeof t.id == "string" && Number.isSafeInteger(t.amount))
      .map((t) => ({
        id: t.id,
        label: typeof t.label == "string" ? t.label : "",
        amount: t.amount,
        amounts: isRecord(t.amounts) ? (t.amounts as Record<string, number>) : {},
        ...(typeof t.gift == "string" && t.gift ? { gift: t.gift } : {}),
      }));
  if (Number.isSafeInteger(json.maxOffers) && json.maxOffers >= 1) doc.maxOffers = Math.min(json.maxOffers, MAX_OFFERS_LIMIT);
  if (typeof json.anchorShare == "number" && json.anchorShare > 0) doc.anchorShare = json.anchorShare;
  if (isRecord(json.texts))
    for (const lang of LANGUAGES) {
      const t = json.texts[lang];
      if (!isRecord(t)) continue;
      const overrides: Partial<Texts> = {};
      for (const key of TEXT_KEYS) if (typeof t[key] == "string" && t[key]) overrides[key] = t[key];
      if (Object.keys(overrides).length) doc.texts[lang] = overrides;
    }
  if (isRecord(json.holdout)) {
    const h = json.holdout;
    if (typeof h.share == "number" && h.share >= 0 && h.share <= MAX_HOLDOUT_SHARE) doc.holdout.share = h.share;
    doc.holdout.hideBar = h.hideBar === true;
  }
  const c = json.colors;
  if (isRecord(c) && c.source == "custom" && COLOR_KEYS.every((k) => typeof c[k] == "string" && HEX.test(c[k])))
    doc.colors = { source: "custom", ...(Object.fromEntries(COLOR_KEYS.map((k) => [k, c[k]])) as Record<ColorKey, string>) };
  return doc;
}

/** Every language's texts, defaults filled in. */
export function resolvedTexts(doc: ShopSettingsDoc): Record<Language, Texts> {
  return Object.fromEntries(LANGUAGES.map((lang) => [lang, { ...DEFAULT_TEXTS[lang], ...doc.texts[lang] }])) as Record<Language, Texts>;
}

/** What the engine decides with (`Ruleset.shop`). */
export function engineShopSettings(doc: ShopSettingsDoc, currency: string): ShopSettings {
  const shop: ShopSettings = { currency };
  if (doc.maxOffers != 3) shop.maxOffers = doc.maxOffers;
  if (doc.anchorShare != 0.3) shop.anchorShare = doc.anchorShare;
  if (doc.freeShipping.enabled) {
    shop.freeShipping = { amount: doc.freeShipping.amount };
    if (Object.keys(doc.freeShipping.amounts).length) shop.freeShipping.amounts = { ...doc.freeShipping.amounts };
  }
  if (doc.rewardTiers.length)
    shop.rewardTiers = doc.rewardTiers.map((t) => ({
      id: t.id,
      label: t.label,
      amount: t.amount,
      ...(Object.keys(t.amounts).length ? { amounts: { ...t.amounts } } : {}),
      ...(t.gift ? { gift: t.gift } : {}),
    }));
  return shop;
}

/** What only the surfaces use (`Ruleset.display`; the engine ignores unknown keys). */
export interface DisplaySettings {
  texts: Record<Language, Texts>;
  /** Null: inherit the theme's colours. */
  colors: Record<ColorKey, string> | null;
  /** Who sees no offers: read by the storefront and checkout (holdoutOf). */
  holdout: HoldoutSettings;
  /** The app's URL (the publisher adds it): the thank-you page asks it for a follow-up code. */
  appUrl?: string;
}

export function displaySettings(doc: ShopSettingsDoc): DisplaySettings {
  const { source, ...colors } = doc.colors as { source: string } & Record<ColorKey, string>;
  return { texts: resolvedTexts(doc), colors: source == "custom" ? colors : null, holdout: { ...doc.holdout } };
}

// ---------------------------------------------------------------------------------------
// The settings form
// ---------------------------------------------------------------------------------------

export interface SettingsInput {
  freeShippingEnabled: boolean;
  freeShippingAmount: string;
  /** Currency → amount as typed; "" means "convert from the shop currency". */
  freeShippingAmounts: Record<string, string>;
  rewardTiers: Array<{ id: string; label: string; amount: string; amounts: Record<string, string>; gift: string }>;
  maxOffers: string;
  /** Percent. */
  anchorShare: string;
  /** Percent of shoppers held out. */
  holdoutShare: string;
  holdoutHideBar: boolean;
  texts: Record<Language, Texts>;
  colorSource: "theme" | "custom";
  colors: Record<ColorKey, string>;
}

export function settingsToInput(doc: ShopSettingsDoc, currency: string, currencies: string[]): SettingsInput {
  const amounts = (record: Record<string, number>) =>
    Object.fromEntries(currencies.filter((c) => c != currency).map((c) => [c, minorToInput(record[c], c)]));
  return {
    freeShippingEnabled: doc.freeShipping.enabled,
    freeShippingAmount: minorToInput(doc.freeShipping.amount, currency),
    freeShippingAmounts: amounts(doc.freeShipping.amounts),
    rewardTiers: doc.rewardTiers.map((t) => ({
      id: t.id,
      label: t.label,
      amount: minorToInput(t.amount, currency),
      amounts: amounts(t.amounts),
      gift: t.gift ?? "",
    })),
    maxOffers: String(doc.maxOffers),
    anchorShare: String(Math.round(doc.anchorShare * 1000) / 10),
    holdoutShare: String(Math.round(doc.holdout.share * 1000) / 10),
    holdoutHideBar: doc.holdout.hideBar,
    texts: resolvedTexts(doc),
    colorSource: doc.colors.source,
    colors: doc.colors.source == "custom" ? { ...doc.colors } : { ...DEFAULT_CUSTOM_COLORS },
  };
}

const TEXT_MAX = 200;
const CONTROL_CHARACTERS = "Remove the invisible control characters from this text.";
const LABEL_MAX = 80;

/** Coerces untrusted JSON (a form post) into `SettingsInput`. */
export function coerceSettingsInput(raw: unknown): SettingsInput {
  const x = isRecord(raw) ? raw : {};
  const str = (v: unknown) => (typeof v == "string" ? v : typeof v == "number" ? String(v) : "");
  const strings = (v: unknown) => (isRecord(v) ? Object.fromEntries(Object.entries(v).map(([k, s]) => [k, str(s)])) : {});
  const texts = {} as Record<Language, Texts>;
  for (const lang of LANGUAGES) {
    const t = isRecord(x.texts) && isRecord(x.texts[lang]) ? x.texts[lang] : {};
    texts[lang] = Object.fromEntries(TEXT_KEYS.map((k) => [k, str(t[k])])) as Texts;
  }
  const colors = isRecord(x.colors) ? x.colors : {};
  return {
    freeShippingEnabled: x.freeShippingEnabled === true || x.freeShippingEnabled === "true",
    freeShippingAmount: str(x.freeShippingAmount),
    freeShippingAmounts: strings(x.freeShippingAmounts),
    rewardTiers: Array.isArray(x.rewardTiers)
      ? x.rewardTiers.map((t: any) => ({ id: str(t?.id), label: str(t?.label), amount: str(t?.amount), amounts: strings(t?.amounts), gift: str(t?.gift) }))
      : [],
    maxOffers: str(x.maxOffers),
    anchorShare: str(x.anchorShare),
    holdoutShare: str(x.holdoutShare),
    holdoutHideBar: x.holdoutHideBar === true || x.holdoutHideBar === "true",
    texts,
    colorSource: x.colorSource == "custom" ? "custom" : "theme",
    colors: Object.fromEntries(COLOR_KEYS.map((k) => [k, str(colors[k]).trim()])) as Record<ColorKey, string>,
  };
}

/** Parses and validates the settings form. `currencies` are the shop's enabled presentment
 *  currencies; `products` covers the reward tiers' gift variants (the catalog snapshot). */
export function validateSettings(
  input: SettingsInput,
  context: { currency: string; currencies: string[]; products: Record<string, ProductSnapshot>; newId?: () => string },
): { ok: true; settings: ShopSettingsDoc } | { ok: false; errors: FieldErrors } {
  const { currency, currencies } = context;
  const errors: FieldErrors = {};
  const money = (value: string, code: string, key: string, required: boolean): number | undefined => {
    const s = value.trim().replace(/,/g, "");
    if (!s) {
      if (required) errors[key] = "Enter an amount.";
      return undefined;
    }
    const minor = decimalToMinor(s, code);
    if (!Number.isFinite(minor)) errors[key] = minorDigits(code) ? "Enter an amount like 75.00." : "Enter a whole amount.";
    else if (minor <= 0) errors[key] = "Enter an amount above 0.";
    else return minor;
    return undefined;
  };
  const perCurrency = (values: Record<string, string>, key: string) => {
    const out: Record<string, number> = {};
    for (const [code, value] of Object.entries(values)) {
      if (!currencies.includes(code) || code == currency) continue;
      const minor = money(value, code, `${key}.${code}`, false);
      if (minor !== undefined) out[code] = minor;
    }
    return out;
  };

  const settings = defaultSettings();
  settings.freeShipping.enabled = input.freeShippingEnabled;
  const fsAmount = money(input.freeShippingAmount, currency, "freeShippingAmount", input.freeShippingEnabled);
  if (fsAmount !== undefined) settings.freeShipping.amount = fsAmount;
  settings.freeShipping.amounts = perCurrency(input.freeShippingAmounts, "freeShippingAmounts");

  if (input.rewardTiers.length > MAX_REWARD_TIERS) errors.rewardTiers = `Keep to ${MAX_REWARD_TIERS} reward tiers.`;
  const newId = context.newId ?? (() => Math.random().toString(36).slice(2, 10));
  settings.rewardTiers = input.rewardTiers.map((t, i) => {
    const label = t.label.trim();
    if (!label) errors[`rewardTiers[${i}].label`] = "Say what the shopper gets (“Free tote bag”).";
    else if (UNSAFE_TEXT.test(label)) errors[`rewardTiers[${i}].label`] = CONTROL_CHARACTERS;
    else if (label.length > LABEL_MAX) errors[`rewardTiers[${i}].label`] = `Keep it under ${LABEL_MAX} characters.`;
    const amount = money(t.amount, currency, `rewardTiers[${i}].amount`, true) ?? 0;
    return {
      id: /^[a-z0-9_-]{1,40}$/i.test(t.id) ? t.id : `tier-${newId()}`,
      label,
      amount,
      amounts: perCurrency(t.amounts, `rewardTiers[${i}].amounts`),
      ...(t.gift.trim() ? { gift: t.gift.trim() } : {}),
    };
  });
  settings.rewardTiers.forEach((t, i) => {
    if (i > 0 && t.amount && t.amount <= settings.rewardTiers[i - 1].amount)
      errors[`rewardTiers[${i}].amount`] ??= "Each tier needs a higher threshold than the one before.";
  });

  const maxOffers = Number(input.maxOffers.trim());
  if (!Number.isInteger(maxOffers) || maxOffers < 1 || maxOffers > MAX_OFFERS_LIMIT)
    errors.maxOffers = `Show between 1 and ${MAX_OFFERS_LIMIT} offers per placement.`;
  else settings.maxOffers = maxOffers;
  const share = Number(input.anchorShare.trim().replace(/%$/, ""));
  if (!input.anchorShare.trim() || !Number.isFinite(share) || share <= 0 || share > 1000)
    errors.anchorShare = "Enter a share of the cart above 0 (30 means 30%).";
  else settings.anchorShare = share / 100;
  const holdoutText = (input.holdoutShare ?? "").trim().replace(/%$/, "");
  const holdoutShare = Number(holdoutText);
  if (!holdoutText || !Number.isFinite(holdoutShare) || holdoutShare < 0 || holdoutShare > MAX_HOLDOUT_SHARE * 100)
    errors.holdoutShare = `Enter a share from 0 to ${MAX_HOLDOUT_SHARE * 100} (10 means 10% of shoppers see no offers; 0 turns the holdout off).`;
  else settings.holdout = { share: Math.round(holdoutShare * 10) / 1000, hideBar: input.holdoutHideBar === true };

  for (const lang of LANGUAGES) {
    const overrides: Partial<Texts> = {};
    for (const key of TEXT_KEYS) {
      const value = (input.texts[lang]?.[key] ?? "").trim();
      if (value.length > TEXT_MAX) errors[`texts.${lang}.${key}`] = `Keep it under ${TEXT_MAX} characters.`;
      // Postgres cannot store NUL, and control characters or lone surrogates show as nothing.
      else if (UNSAFE_TEXT.test(value)) errors[`texts.${lang}.${key}`] = CONTROL_CHARACTERS;
      else if (value && value != DEFAULT_TEXTS[lang][key]) {
        const placeholders = DEFAULT_TEXTS.en[key].match(/\{\w+\}/g) ?? [];
        const missing = placeholders.find((p) => !value.includes(p));
        if (missing) errors[`texts.${lang}.${key}`] = `Keep ${missing} in the text: the widget fills it in.`;
        else overrides[key] = value;
      }
    }
    if (Object.keys(overrides).length) settings.texts[lang] = overrides;
  }

  if (input.colorSource == "custom") {
    for (const key of COLOR_KEYS)
      if (!HEX.test(input.colors[key])) errors[`colors.${key}`] = "Enter a colour like #1a1a1a.";
    settings.colors = { source: "custom", ...input.colors };
  }

  // The engine's own rules, on the settings as they would be published.
  if (!Object.keys(errors).length) {
    const ruleset: Ruleset = { schemaVersion: 1, revision: 0, shop: engineShopSettings(settings, currency), offers: [], products: context.products };
    const parsed = parseRuleset(ruleset);
    if (!parsed.ok)
      for (const e of parsed.errors) {
        const m = /^shop\.rewardTiers\[(\d+)\]\.(\w+)/.exec(e.path);
        const key = m
          ? `rewardTiers[${m[1]}].${m[2] == "amounts" ? "amount" : m[2]}`
          : e.path.startsWith("shop.freeShipping")
            ? "freeShippingAmount"
            : e.path.startsWith("shop.maxOffers")
              ? "maxOffers"
              : e.path.startsWith("shop.anchorShare")
                ? "anchorShare"
                : "form";
        errors[key] ??= key.endsWith(".gift") ? "That gift is no longer in your catalog: choose another." : e.message.charAt(0).toUpperCase() + e.message.slice(1) + ".";
      }
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, settings };
}
