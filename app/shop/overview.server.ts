// What the admin home shows: the shop, its catalog size and the merchant's next step.
import prisma from "../db.server";
import { adminGraphql } from "../admin-api.server";
import type { AdminApi } from "../shopify.server";

const SHOP_OVERVIEW = `#graphql
  query ShopOverview {
    shop { name myshopifyDomain currencyCode enabledPresentmentCurrencies ianaTimezone }
    productsCount { count }
  }`;

export interface NextStep {
  title: string;
  body: string;
  action: { label: string; url: string };
}

export interface ShopOverview {
  timezone: string;
  name: string;
  domain: string;
  currency: string;
  presentmentCurrencies: string[];
  productCount: number;
  offerCount: number;
  nextStep: NextStep;
}

export function nextStepFor(offerCount: number): NextStep {
  if (offerCount === 0) {
    return {
      title: "Create your first offer",
      body: "Start from a proven template, such as “frequently bought together” or a free-shipping bar, and preview it on a sample cart before it goes live.",
      action: { label: "Create an offer", url: "/app/offers/new" },
    };
  }
  return {
    title: "See how your offers perform",
    body: "Compare revenue, conversion and average order value with and without each offer.",
    action: { label: "View offers", url: "/app/offers" },
  };
}

export async function getShopOverview(admin: AdminApi, shop: string): Promise<ShopOverview> {
  const [data, offerCount] = await Promise.all([
    adminGraphql<{
      shop: { name: string; myshopifyDomain: string; currencyCode: string; enabledPresentmentCurrencies: string[]; ianaTimezone: string };
      productsCount: { count: number };
    }>(admin, SHOP_OVERVIEW),
    prisma.offer.count({ where: { shop } }),
  ]);
  // Analytics dates events and periods in the shop's time zone and sums in its currency.
  await prisma.shop.upsert({
    where: { shop },
    create: { shop, timezone: data.shop.ianaTimezone, currency: data.shop.currencyCode },
    update: { timezone: data.shop.ianaTimezone, currency: data.shop.currencyCode },
  });
  return {
    timezone: data.shop.ianaTimezone,
    name: data.shop.name,
    domain: data.shop.myshopifyDomain,
    currency: data.shop.currencyCode,
    presentmentCurrencies: data.shop.enabledPresentmentCurrencies,
    productCount: data.productsCount.count,
    offerCount,
    nextStep: nextStepFor(offerCount),
  };
}
