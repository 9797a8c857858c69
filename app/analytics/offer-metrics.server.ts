// Per-offer analytics for the offers list: impressions, click rate, accept rate and
// attributed revenue net of refunds and cancellations, over the last N days in the shop's
// time zone. Read from the daily rollups (one grouped range read), never from raw rows,
// so the list stays as fast with a year of events as with none.
import { Prisma } from "@prisma/client";
import prisma from "../db.server";
import { periodDays } from "./report.server";

export interface OfferMetrics {
  impressions: number;
  clicks: number;
  accepts: number;
  /** clicks / impressions; null with no impressions. */
  clickRate: number | null;
  /** accepts / impressions; null with no impressions. */
  acceptRate: number | null;
  /** Attributed revenue net of refunds and cancellations (shop currency, minor units). */
  revenue: number;
}

export const METRIC_SORTS = ["revenue", "impressions", "clickRate", "acceptRate"] as const;
export type MetricSort = (typeof METRIC_SORTS)[number];
/** The offers list's period. */
export const OFFER_METRICS_DAYS = 30;

export const emptyMetrics = (): OfferMetrics => ({ impressions: 0, clicks: 0, accepts: 0, clickRate: null, acceptRate: null, revenue: 0 });

/**
 * Metrics per offer over the period ending today (shop time zone), for `offerIds`, or for
 * every offer with rollups when omitted. Offers with no rows are absent from the map.
 */
export async function offerMetrics(shop: string, options: { timezone: string; days?: number; offerIds?: string[]; now?: Date }): Promise<Map<string, OfferMetrics>> {
  const days = periodDays(options.days ?? OFFER_METRICS_DAYS, options.timezone, options.now);
  const ids = options.offerIds;
  const result = new Map<string, OfferMetrics>();
  if (ids && !ids.length) return result;
  const rows = await prisma.$queryRaw<Array<{ offerId: string; impressions: number; clicks: number; accepts: number; revenue: string }>>`
    SELECT "offerId", sum("impressions")::int AS impressions, sum("clicks")::int AS clicks, sum("accepts")::int AS accepts, sum("revenueMinor")::text AS revenue
    FROM "AnalyticsDaily"
    WHERE "shop" = ${shop} AND "day" >= ${days[0]} AND "day" <= ${days[days.length - 1]} AND "offerId" <> ''
      ${ids ? Prisma.sql`AND "offerId" = ANY(${ids}::text[])` : Prisma.empty}
    GROUP BY "offerId"`;
  for (const row of rows) {
    result.set(row.offerId, {
      impressions: row.impressions,
      clicks: row.clicks,
      accepts: row.accepts,
      clickRate: row.impressions ? row.clicks / row.impressions : null,
      acceptRate: row.impressions ? row.accepts / row.impressions : null,
      revenue: Number(row.revenue),
    });
  }
  return result;
}

/**
 * Orders offer ids by a metric, best first; offers without data (or without impressions,
 * for a rate) after every offer with some, then by `fallback` order (the ids' given order).
 */
export function rankByMetric(ids: string[], metrics: Map<string, OfferMetrics>, sort: MetricSort): string[] {
  const value = (id: string): number | null => {
    const m = metrics.get(id);
    if (!m) return null;
    const v = m[sort];
    return v === null ? null : v;
  };
  const position = new Map(ids.map((id, i) => [id, i]));
  return [...ids].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null || vb === null) return va === vb ? position.get(a)! - position.get(b)! : va === null ? 1 : -1;
    return vb - va || position.get(a)! - position.get(b)!;
  });
}
