// The analytics page's data for a period (days in the shop's time zone): the holdout
// comparison and each offer's events and attributed revenue, read from the daily rollups
// only (one indexed range read), never from raw orders or events.
import prisma from "../db.server";
import { dayIn, type Group } from "./orders";
import { compareGroups, type Comparison, type GroupTotals } from "./statistics";
import { readSettings } from "../settings/settings";

export interface OfferReport {
  offerId: string;
  name: string;
  impressions: number;
  clicks: number;
  accepts: number;
  dismissals: number;
  clickRate: number | null;
  acceptRate: number | null;
  orders: number;
  /** Attributed revenue net of refunds and cancellations (shop minor units). */
  revenue: number;
  refunded: number;
  quantity: number;
}

export interface AnalyticsReport {
  shop: string;
  currency: string;
  timezone: string;
  from: string;
  to: string;
  days: string[];
  holdoutShare: number;
  demo: boolean;
  groups: Record<Group, GroupTotals>;
  comparison: Comparison;
  offers: OfferReport[];
  /** Attributed revenue per day per offer (minor units), same order as `days`. */
  series: Array<{ offerId: string; name: string; revenue: number[] }>;
}

export { PERIODS } from "./periods";

/** The period's first and last day (inclusive) ending today in the shop's time zone. */
export function periodDays(days: number, timezone: string, now = new Date()): string[] {
  const today = dayIn(now, timezone);
  const end = Date.parse(`${today}T12:00:00Z`);
  return Array.from({ length: days }, (_, i) => new Date(end - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

const emptyTotals = (): GroupTotals => ({ visitors: 0, orders: 0, revenue: 0, revenueSq: 0, checkoutsStarted: 0, checkoutsCompleted: 0 });

export async function loadAnalytics(shop: string, options: { days: number; now?: Date; currency?: string; timezone?: string }): Promise<AnalyticsReport> {
  const shopRow = await prisma.shop.findUnique({ where: { shop } });
  const timezone = options.timezone ?? shopRow?.timezone ?? "UTC";
  const currency = options.currency ?? shopRow?.currency ?? "USD";
  const settingsJson = (shopRow?.settings ?? {}) as Record<string, unknown>;
  const settings = readSettings(settingsJson);
  const days = periodDays(options.days, timezone, options.now);
  const from = days[0];
  const to = days[days.length - 1];

  const [rows, offers] = await Promise.all([
    prisma.analyticsDaily.findMany({ where: { shop, day: { gte: from, lte: to } } }),
    prisma.offer.findMany({ where: { shop }, select: { id: true, name: true } }),
  ]);
  const names = new Map(offers.map((o) => [o.id, o.name]));

  const groups: Record<Group, GroupTotals> = { treatment: emptyTotals(), holdout: emptyTotals(), none: emptyTotals() };
  const byOffer = new Map<string, OfferReport>();
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const series = new Map<string, number[]>();
  for (const row of rows) {
    if (row.offerId === "") {
      const g = groups[(row.group as Group) in groups ? (row.group as Group) : "none"];
      g.visitors += row.sessions;
      g.orders += row.orders;
      g.revenue += Number(row.revenueMinor);
      g.revenueSq += row.revenueSq;
      g.checkoutsStarted += row.checkoutsStarted;
      g.checkoutsCompleted += row.checkoutsCompleted;
      continue;
    }
    const offer = byOffer.get(row.offerId) ?? {
      offerId: row.offerId, name: names.get(row.offerId) ?? `Deleted offer (${row.offerId})`, impressions: 0, clicks: 0, accepts: 0, dismissals: 0,
      clickRate: null, acceptRate: null, orders: 0, revenue: 0, refunded: 0, quantity: 0,
    };
    offer.impressions += row.impressions;
    offer.clicks += row.clicks;
    offer.accepts += row.accepts;
    offer.dismissals += row.dismissals;
    offer.orders += row.orders;
    offer.revenue += Number(row.revenueMinor);
    offer.refunded += Number(row.refundedMinor);
    offer.quantity += row.quantity;
    byOffer.set(row.offerId, offer);
    const points = series.get(row.offerId) ?? new Array<number>(days.length).fill(0);
    points[dayIndex.get(row.day) ?? 0] += Number(row.revenueMinor);
    series.set(row.offerId, points);
  }
  for (const offer of byOffer.values()) {
    offer.clickRate = offer.impressions ? offer.clicks / offer.impressions : null;
    offer.acceptRate = offer.impressions ? offer.accepts / offer.impressions : null;
  }
  const offerList = [...byOffer.values()].sort((a, b) => b.revenue - a.revenue || a.name.localeCompare(b.name));
  return {
    shop,
    currency,
    timezone,
    from,
    to,
    days,
    holdoutShare: settings.holdout.share,
    demo: settingsJson.analyticsDemo === true,
    groups,
    comparison: compareGroups(groups.treatment, groups.holdout, settings.holdout.share),
    offers: offerList,
    series: offerList.map((o) => ({ offerId: o.offerId, name: o.name, revenue: series.get(o.offerId) ?? [] })),
  };
}

/** The per-offer table as CSV (amounts in major units of the shop's currency). */
export function offersCsv(report: AnalyticsReport, minorDigits: number): string {
  const major = (minor: number) => (minor / 10 ** minorDigits).toFixed(minorDigits);
  const rate = (r: number | null) => (r === null ? "" : r.toFixed(4));
  const quote = (s: string) => (/[",\n]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""').replace(/^([=+\-@])/, "'$1")}"` : s);
  const header = ["offer_id", "offer", "impressions", "clicks", "click_rate", "accepts", "accept_rate", "dismissals", "orders", `attributed_revenue_${report.currency}`, `refunded_${report.currency}`, "quantity"];
  const lines = report.offers.map((o) =>
    [quote(o.offerId), quote(o.name), o.impressions, o.clicks, rate(o.clickRate), o.accepts, rate(o.acceptRate), o.dismissals, o.orders, major(o.revenue), major(o.refunded), o.quantity].join(","),
  );
  return [`# Cartlift offers ${report.from} to ${report.to} (${report.timezone})`, header.join(","), ...lines].join("\n") + "\n";
}
