// The offers list with each offer's analytics beside it (issue 12: impressions, click rate,
// accept rate and attributed revenue "as columns on the offers list"), sortable by them.
// Sorting by a metric ranks every offer matching the filters (ids only, plus one grouped
// read of the rollups), then loads the one page it shows.
import prisma from "../db.server";
import { listOffers, offerWhere, PAGE_SIZE, toRecord, type OfferListPage, type OfferListQuery, type OfferSort } from "./repository.server";
import { METRIC_SORTS, offerMetrics, rankByMetric, type MetricSort, type OfferMetrics } from "../analytics/offer-metrics.server";

export type OfferListSort = OfferSort | MetricSort;

export const isMetricSort = (sort: string | null | undefined): sort is MetricSort => METRIC_SORTS.includes(sort as MetricSort);

export interface OfferListWithMetrics extends OfferListPage {
  /** Metrics of the offers on the page (absent: no impressions or orders in the period). */
  metrics: Record<string, OfferMetrics>;
}

export async function listOffersWithMetrics(
  shop: string,
  query: Omit<OfferListQuery, "sort"> & { sort?: OfferListSort },
  options: { timezone: string; days?: number; now?: Date },
): Promise<OfferListWithMetrics> {
  const { sort, ...rest } = query;
  if (!isMetricSort(sort)) {
    const page = await listOffers(shop, { ...rest, sort });
    const metrics = await offerMetrics(shop, { ...options, offerIds: page.offers.map((o) => o.id) });
    return { ...page, metrics: Object.fromEntries(metrics) };
  }
  const pageSize = query.pageSize ?? PAGE_SIZE;
  const where = offerWhere(shop, rest);
  const [matching, shopTotal, metrics] = await Promise.all([
    prisma.offer.findMany({ where, orderBy: [{ updatedAt: "desc" }, { id: "asc" }], select: { id: true } }),
    prisma.offer.count({ where: { shop } }),
    offerMetrics(shop, options),
  ]);
  const ranked = rankByMetric(
    matching.map((o) => o.id),
    metrics,
    sort,
  );
  const total = ranked.length;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.floor(query.page ?? 1)), pageCount);
  const ids = ranked.slice((page - 1) * pageSize, page * pageSize);
  const rows = ids.length ? await prisma.offer.findMany({ where: { shop, id: { in: ids } } }) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const offers = ids.flatMap((id) => (byId.has(id) ? [toRecord(byId.get(id)!)] : []));
  return { offers, total, page, pageCount, shopTotal, metrics: Object.fromEntries(ids.flatMap((id) => (metrics.has(id) ? [[id, metrics.get(id)!]] : []))) };
}
