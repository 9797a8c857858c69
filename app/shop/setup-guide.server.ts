// The setup guide on the admin home: the steps that make Cartlift show in the shop, each
// with its state read from the shop itself. The theme steps read the main theme's files
// through the Admin API (scope read_themes); a failed or unreadable read is "unknown" (the
// step says to check), never an error page.
import prisma from "../db.server";
import { adminGraphql } from "../admin-api.server";
import type { AdminApi } from "../shopify.server";
import { getSettings } from "../settings/settings.server";
import { formatMoney } from "../offers/explain";
import { embedState, templateBlockState, type BlockState } from "./theme-setup";

export const EMBED_HANDLE = "cartlift-embed";
export const PRODUCT_BLOCK_HANDLE = "product-offers";

const SETUP_GUIDE_THEME = `#graphql
  query SetupGuideTheme {
    themes(roles: [MAIN], first: 1) {
      nodes {
        id
        name
        files(filenames: ["config/settings_data.json", "templates/product.json"], first: 2) {
          nodes {
            filename
            body {
              ... on OnlineStoreThemeFileBodyText { content }
            }
          }
        }
      }
    }
  }`;

export type StepState = "done" | "todo" | "unknown" | "check";

export interface SetupStep {
  id: "embed" | "product-block" | "free-shipping" | "first-offer";
  title: string;
  body: string;
  state: StepState;
  action: { label: string; url: string; external: boolean };
}

export interface SetupGuide {
  steps: SetupStep[];
  done: number;
}

type ThemeFiles = { theme: string | null; settingsData: string | null; productTemplate: string | null } | null;

async function readMainTheme(admin: AdminApi): Promise<ThemeFiles> {
  try {
    const data = await adminGraphql<{
      themes: { nodes: { id: string; name: string; files: { nodes: { filename: string; body: { content?: string } }[] } | null }[] } | null;
    }>(admin, SETUP_GUIDE_THEME);
    const theme = data.themes?.nodes[0];
    if (!theme) return { theme: null, settingsData: null, productTemplate: null };
    const file = (name: string) => theme.files?.nodes.find((f) => f.filename === name)?.body.content ?? null;
    return { theme: theme.name, settingsData: file("config/settings_data.json"), productTemplate: file("templates/product.json") };
  } catch (error) {
    console.warn(`[setup-guide] could not read the main theme: ${(error as Error).message}`);
    return null;
  }
}

const stateOf = (block: BlockState): StepState => (block === "on" ? "done" : block === "unknown" ? "unknown" : "todo");

/** The theme editor's deep links Shopify documents for theme app extensions. */
export function themeEditorLinks(shopDomain: string, apiKey: string) {
  const editor = `https://${shopDomain}/admin/themes/current/editor`;
  return {
    embed: `${editor}?context=apps&activateAppId=${encodeURIComponent(apiKey)}/${EMBED_HANDLE}`,
    productBlock: `${editor}?template=product&addAppBlockId=${encodeURIComponent(apiKey)}/${PRODUCT_BLOCK_HANDLE}&target=mainSection`,
  };
}

export async function loadSetupGuide(
  admin: AdminApi,
  shop: string,
  options: { shopDomain: string; currency: string; apiKey?: string; extensionUid?: string | null },
): Promise<SetupGuide> {
  const apiKey = options.apiKey ?? process.env.SHOPIFY_API_KEY ?? "";
  const uid = options.extensionUid ?? process.env.SHOPIFY_THEME_CARTLIFT_ID ?? null;
  const [theme, offerCount, settings] = await Promise.all([readMainTheme(admin), prisma.offer.count({ where: { shop } }), getSettings(shop)]);
  const links = themeEditorLinks(options.shopDomain, apiKey);
  const embed = theme ? embedState(theme.settingsData, EMBED_HANDLE, uid) : "unknown";
  const block = theme ? templateBlockState(theme.productTemplate, PRODUCT_BLOCK_HANDLE, uid) : "unknown";
  const goal = settings.freeShipping;
  const goalText = formatMoney(goal.amount, options.currency);

  const steps: SetupStep[] = [
    {
      id: "embed",
      title: "Turn on the Cartlift app embed",
      body:
        embed === "on" ? "The app embed is on in your live theme: the cart offers and the pop-up can show."
        : embed === "off" ? "The app embed is in your live theme but turned off, so no offer shows in the cart."
        : embed === "missing" ? "Your live theme does not load Cartlift yet. Turn on the app embed in the theme editor and save."
        : "We could not read your live theme's settings. Check in the theme editor that the Cartlift app embed is on.",
      state: stateOf(embed),
      action: { label: "Open the theme editor", url: links.embed, external: true },
    },
    {
      id: "product-block",
      title: "Add the offers block to product pages",
      body:
        block === "on" ? "Your product template shows Cartlift's offers block."
        : block === "off" ? "The offers block is on your product template but hidden."
        : block === "missing" ? "Add the Cartlift offers block to your product template, under the buy buttons."
        : "We could not read your product template. Check in the theme editor that the offers block is there.",
      state: stateOf(block),
      action: { label: "Add the block", url: links.productBlock, external: true },
    },
    {
      id: "free-shipping",
      title: "Match your free-shipping goal",
      body: goal.enabled
        ? `Your free-shipping goal is ${goalText}. Check that your shipping settings give free shipping from ${goalText}, so the bar promises what checkout charges.`
        : "The free-shipping bar is off. Turn it on in Settings if your shop offers free shipping above an amount.",
      state: "check",
      action: goal.enabled
        ? { label: "Check your shipping settings", url: `https://${options.shopDomain}/admin/settings/shipping`, external: true }
        : { label: "Open settings", url: "/app/settings", external: false },
    },
    {
      id: "first-offer",
      title: "Create your first offer",
      body: offerCount > 0 ? `You have ${offerCount} offer${offerCount === 1 ? "" : "s"}.` : "Start from a template and preview it on a sample cart before it goes live.",
      state: offerCount > 0 ? "done" : "todo",
      action: offerCount > 0 ? { label: "View offers", url: "/app/offers", external: false } : { label: "Create an offer", url: "/app/offers/new", external: false },
    },
  ];
  return { steps, done: steps.filter((s) => s.state === "done").length };
}
