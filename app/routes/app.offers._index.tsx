// The offers list: server-side search, filters, sorting and pagination (a shop may have
// thousands of offers), bulk pause/resume/delete, Duplicate on each row (the editor's
// idempotent copy), the publish state, and an empty state that leads to the templates.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useFetcher, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Button,
  Card,
  InlineStack,
  ChoiceList,
  EmptyState,
  IndexFilters,
  IndexFiltersMode,
  IndexTable,
  Layout,
  Modal,
  Page,
  Text,
  useIndexResourceState,
  useSetIndexFiltersMode,
  type IndexFiltersProps,
} from "@shopify/polaris";
import { authenticateAdmin } from "../shopify.server";
import { PAGE_SIZE, type OfferFilters } from "../offers/repository.server";
import { listOffersWithMetrics, type OfferListSort } from "../offers/offer-list.server";
import { METRIC_SORTS, OFFER_METRICS_DAYS, type MetricSort, type OfferMetrics } from "../analytics/offer-metrics.server";
import { minorDigits } from "../engine/money";
import { bulkOffers, republish } from "../offers/offers.server";
import { publishStatus } from "../offers/publisher.server";
import { loadShopContext } from "../offers/catalog.server";
import { displayStatus, DISPLAY_STATUSES, KIND_LABELS, OFFER_KINDS, PLACEMENT_LABELS, type DisplayStatus } from "../offers/model";
import { formatDate } from "../offers/explain";
import { PLACEMENTS, type OfferKind } from "../engine";
import { PublishStatusCard } from "../components/offers/PublishStatusCard";
import { TemplateGallery } from "../components/offers/TemplateGallery";
import { AdminToast, useToast } from "../components/admin/AdminToast";
import { pageTitle } from "../components/admin/title";

const SORTS: OfferListSort[] = ["updated", "name", "priority", ...METRIC_SORTS];
/** How long the offers list reuses what Shopify holds for the publish status (see publishStatus). */
const PUBLISH_STATUS_CACHE_MS = 30_000;

// A cart with an offer card beside it, drawn inline (no image request on the first visit).
const EMPTY_STATE_IMAGE =
  "data:image/svg+xml;utf8," +
  encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" width="226" height="150" viewBox="0 0 226 150">
  <rect x="18" y="22" width="120" height="108" rx="14" fill="#f1f1f1"/>
  <path d="M40 52h10l10 44h48l9-32H56" fill="none" stroke="#8a8a8a" stroke-width="5" stroke-linecap="round" stroke-linejoin="round"/>
  <circle cx="66" cy="108" r="6" fill="#8a8a8a"/><circle cx="102" cy="108" r="6" fill="#8a8a8a"/>
  <rect x="120" y="40" width="88" height="70" rx="12" fill="#fff" stroke="#e3e3e3" stroke-width="2"/>
  <rect x="132" y="54" width="24" height="24" rx="6" fill="#cce5ff"/>
  <rect x="164" y="56" width="34" height="6" rx="3" fill="#d4d4d4"/><rect x="164" y="68" width="22" height="6" rx="3" fill="#d4d4d4"/>
  <rect x="132" y="88" width="66" height="12" rx="6" fill="#303030"/>
  <circle cx="196" cy="40" r="13" fill="#29845a"/><path d="M196 33v14M189 40h14" stroke="#fff" stroke-width="3" stroke-linecap="round"/>
</svg>`);

function filtersFrom(params: URLSearchParams): OfferFilters & { page: number; sort: OfferListSort } {
  const status = params.get("status");
  return {
    query: params.get("q") ?? undefined,
    status: status && DISPLAY_STATUSES.includes(status as DisplayStatus) ? [status as DisplayStatus] : undefined,
    kind: params.getAll("kind").filter((k): k is OfferKind => OFFER_KINDS.includes(k as OfferKind)),
    page: Math.max(1, Number(params.get("page")) || 1),
    sort: SORTS.includes(params.get("sort") as OfferListSort) ? (params.get("sort") as OfferListSort) : "updated",
  };
}

export const meta = () => pageTitle("Offers");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticateAdmin(request);
  const filters = filtersFrom(new URL(request.url).searchParams);
  const shopContext = loadShopContext(admin, session.shop);
  const [page, publish, context] = await Promise.all([
    shopContext.then((c) => listOffersWithMetrics(session.shop, filters, { timezone: c.timezone, days: OFFER_METRICS_DAYS })),
    publishStatus(admin, session.shop, { cacheMs: PUBLISH_STATUS_CACHE_MS }),
    shopContext,
  ]);
  const now = Date.now();
  return {
    offers: page.offers.map((o) => ({
      id: o.id,
      name: o.name,
      kind: o.kind,
      status: displayStatus(o, now),
      placements: o.placements,
      priority: o.priority,
      updatedAt: o.updatedAt.toISOString(),
      metrics: page.metrics[o.id] ?? null,
      // Duplicate's idempotency key for this row in this rendering: a double click makes one copy.
      duplicateKey: crypto.randomUUID(),
    })),
    total: page.total,
    shopTotal: page.shopTotal,
    page: page.page,
    pageCount: page.pageCount,
    pageSize: PAGE_SIZE,
    publish,
    timezone: context.timezone,
    currency: context.currency,
    metricsDays: OFFER_METRICS_DAYS,
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { admin, session } = await authenticateAdmin(request);
  const scope = { admin, shop: session.shop };
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (intent == "publish") return { ok: true, publish: await republish(scope) };
  if (intent != "pause" && intent != "resume" && intent != "delete") throw new Response("Unknown action", { status: 400 });
  let target: { ids: string[] } | { all: OfferFilters };
  if (form.get("scope") == "all") {
    target = { all: filtersFrom(new URLSearchParams(String(form.get("filters") ?? ""))) };
  } else {
    const ids = form.getAll("id").map(String).filter(Boolean).slice(0, 1000);
    target = { ids };
  }
  const result = await bulkOffers(scope, intent, target);
  return { ok: true, intent, ...result };
};

const STATUS_BADGE: Record<DisplayStatus, { tone?: "success" | "info" | "critical"; label: string }> = {
  active: { tone: "success", label: "Active" },
  scheduled: { tone: "info", label: "Scheduled" },
  paused: { label: "Paused" },
  expired: { tone: "critical", label: "Expired" },
};

const TABS: Array<{ id: string; status: DisplayStatus | null; label: string }> = [
  { id: "all", status: null, label: "All" },
  ...DISPLAY_STATUSES.map((s) => ({ id: s, status: s, label: STATUS_BADGE[s].label })),
];

/** The metric columns (after the offer's own columns), sortable by their heading. */
const METRIC_COLUMNS: Array<{ sort: MetricSort; title: string; tooltip: string }> = [
  { sort: "impressions", title: "Impressions", tooltip: "Times shoppers saw the offer" },
  { sort: "clickRate", title: "Click rate", tooltip: "Clicks per impression" },
  { sort: "acceptRate", title: "Accept rate", tooltip: "Adds to cart per impression" },
  { sort: "revenue", title: "Revenue", tooltip: "Revenue of the lines the offer added, net of refunds and cancellations" },
];
const OWN_COLUMNS = 6;

function useMoney(currency: string) {
  return useMemo(() => {
    const digits = minorDigits(currency);
    const format = new Intl.NumberFormat("en-US", { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    return (minor: number) => format.format(minor / 10 ** digits);
  }, [currency]);
}

const percent = (rate: number | null) => (rate === null ? "—" : `${(rate * 100).toFixed(1)}%`);

function metricText(metrics: OfferMetrics | null, sort: MetricSort, money: (minor: number) => string): string {
  if (!metrics) return sort == "revenue" ? money(0) : sort == "impressions" ? "0" : "—";
  if (sort == "revenue") return money(metrics.revenue);
  if (sort == "impressions") return metrics.impressions.toLocaleString("en-US");
  return percent(metrics[sort]);
}

/** True below Polaris's md breakpoint. False on the server and on the first client render
 *  (so hydration matches), and a wide screen never renders twice for it. */
const useClientLayoutEffect = typeof window == "undefined" ? useEffect : useLayoutEffect;
function useNarrowScreen(): boolean {
  const [narrow, setNarrow] = useState(false);
  // Before the first paint on a phone, so the wide table never flashes there.
  useClientLayoutEffect(() => {
    const query = window.matchMedia("(max-width: 47.9975em)");
    const update = () => setNarrow(query.matches);
    update();
    query.addEventListener("change", update);
    return () => query.removeEventListener("change", update);
  }, []);
  return narrow;
}

type BulkResult = { ok: boolean; intent?: string; count?: number; publish?: { status: string } };

export default function OffersList() {
  const data = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const navigation = useNavigation();
  const bulk = useFetcher<BulkResult>();
  // Duplicate on a row: the editor's action (/app/offers/<id>), which opens the paused copy.
  const duplicating = useFetcher();
  const duplicatingId = duplicating.state != "idle" ? duplicating.formAction?.split("/").pop() : undefined;
  const duplicate = (offer: { id: string; duplicateKey: string }) =>
    duplicating.submit({ intent: "duplicate", createKey: offer.duplicateKey }, { method: "post", action: `/app/offers/${offer.id}` });
  const { toast, show, dismiss } = useToast();
  // Arriving with a search or filter in the URL shows it, instead of filtering invisibly.
  const { mode, setMode } = useSetIndexFiltersMode(params.get("q") || params.getAll("kind").length ? IndexFiltersMode.Filtering : IndexFiltersMode.Default);
  const [query, setQuery] = useState(params.get("q") ?? "");
  const [pending, setPending] = useState<null | "delete">(null);
  const loading = navigation.state == "loading" && navigation.location?.pathname == "/app/offers";

  const rows = data.offers;
  // Below Polaris's md breakpoint (phones, narrow tablets) the table becomes a list of rows
  // (Polaris's condensed index table): six columns cannot fit in 390 px without hiding most
  // of them behind a scroll.
  const condensed = useNarrowScreen();
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(rows);

  const update = useCallback(
    (change: (p: URLSearchParams) => void) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          change(next);
          return next;
        },
        { preventScrollReset: true },
      ),
    [setParams],
  );

  // Search as the merchant types, without a request per keystroke.
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => {
    if ((params.get("q") ?? "") == query) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(
      () =>
        update((p) => {
          if (query) p.set("q", query);
          else p.delete("q");
          p.delete("page");
        }),
      300,
    );
    return () => clearTimeout(timer.current);
  }, [query, params, update]);

  useEffect(() => {
    if (params.get("deleted")) {
      show("Offer deleted");
      update((p) => p.delete("deleted"));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const result = bulk.data;
    if (!result || bulk.state != "idle" || !result.intent) return;
    const n = result.count ?? 0;
    const verb = result.intent == "pause" ? "paused" : result.intent == "resume" ? "resumed" : "deleted";
    show(`${n} offer${n == 1 ? "" : "s"} ${verb}${result.publish?.status == "failed" ? ", but not published" : ""}`, result.publish?.status == "failed");
    clearSelection();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [bulk.data, bulk.state]);

  const runBulk = (intent: "pause" | "resume" | "delete") => {
    const form = new FormData();
    form.set("intent", intent);
    if (allResourcesSelected && data.total > rows.length) {
      form.set("scope", "all");
      const filters = new URLSearchParams(params);
      filters.delete("page");
      form.set("filters", filters.toString());
    } else selectedResources.forEach((id) => form.append("id", id));
    bulk.submit(form, { method: "post" });
    setPending(null);
  };
  const selectedCount = allResourcesSelected ? data.total : selectedResources.length;

  const statusTab = Math.max(0, TABS.findIndex((t) => t.status == (params.get("status") ?? null)));
  const kinds = params.getAll("kind");
  const filters: IndexFiltersProps["filters"] = [
    {
      key: "kind",
      label: "Kind",
      filter: (
        <ChoiceList
          title="Kind"
          titleHidden
          allowMultiple
          choices={OFFER_KINDS.map((k) => ({ label: KIND_LABELS[k], value: k }))}
          selected={kinds}
          onChange={(values) =>
            update((p) => {
              p.delete("kind");
              values.forEach((v) => p.append("kind", v));
              p.delete("page");
            })
          }
        />
      ),
      shortcut: true,
    },
  ];
  const appliedFilters: IndexFiltersProps["appliedFilters"] = kinds.length
    ? [
        {
          key: "kind",
          label: `Kind: ${kinds.map((k) => KIND_LABELS[k as OfferKind] ?? k).join(", ")}`,
          onRemove: () => update((p) => p.delete("kind")),
        },
      ]
    : [];
  const sort = params.get("sort") ?? "updated";
  const sortOptions: IndexFiltersProps["sortOptions"] = [
    { label: "Last updated", value: "updated desc", directionLabel: "Newest first" },
    { label: "Name", value: "name asc", directionLabel: "A–Z" },
    { label: "Priority", value: "priority desc", directionLabel: "Highest first" },
    ...METRIC_COLUMNS.map((c) => ({ label: `${c.title} (${data.metricsDays} days)`, value: `${c.sort} desc` as const, directionLabel: "Highest first" })),
  ];
  const money = useMoney(data.currency);
  const metricIndex = METRIC_COLUMNS.findIndex((c) => c.sort == sort);

  const from = (data.page - 1) * data.pageSize + 1;
  const to = from + rows.length - 1;

  if (data.shopTotal == 0)
    return (
      <Page title="Offers">
        <Layout>
          <Layout.Section>
            <BlockStack gap="500">
              <Card>
                <EmptyState
                  heading="Create your first offer"
                  action={{ content: "Browse templates", url: "/app/offers/new" }}
                  image={EMPTY_STATE_IMAGE}
                >
                  <p>Offers shoppers are glad to see: accessories that go with what they chose, an upgrade, a bundle, a reason to add one more.</p>
                </EmptyState>
              </Card>
              <Text as="h2" variant="headingMd">
                Start from a template
              </Text>
              <TemplateGallery />
            </BlockStack>
          </Layout.Section>
        </Layout>
        <AdminToast toast={toast} onDismiss={dismiss} />
      </Page>
    );

  return (
    <Page
      // Full width, as Shopify's own index pages: the offer's columns and its four figures fit at 1280 px.
      fullWidth
      title="Offers"
      subtitle={`${data.shopTotal.toLocaleString("en-US")} offer${data.shopTotal == 1 ? "" : "s"} · analytics for the last ${data.metricsDays} days`}
      primaryAction={{ content: "Create offer", url: "/app/offers/new" }}
      secondaryActions={[
        { content: "Preview", url: "/app/preview" },
        { content: "Settings", url: "/app/settings" },
      ]}
    >
      <BlockStack gap="400">
        <PublishStatusCard publish={data.publish} timezone={data.timezone} />
        <Card padding="0">
          <IndexFilters
            tabs={TABS.map((t) => ({ id: t.id, content: t.label }))}
            selected={statusTab}
            onSelect={(index) =>
              update((p) => {
                const status = TABS[index]?.status;
                if (status) p.set("status", status);
                else p.delete("status");
                p.delete("page");
              })
            }
            queryValue={query}
            queryPlaceholder="Search offers by name"
            onQueryChange={setQuery}
            onQueryClear={() => setQuery("")}
            filters={filters}
            appliedFilters={appliedFilters}
            onClearAll={() =>
              update((p) => {
                p.delete("kind");
                p.delete("q");
              })
            }
            sortOptions={sortOptions}
            sortSelected={[sortOptions.find((o) => o.value.startsWith(sort))?.value ?? "updated desc"]}
            onSort={([value]) => update((p) => p.set("sort", value.split(" ")[0]))}
            mode={mode}
            setMode={setMode}
            loading={loading}
            canCreateNewView={false}
            cancelAction={{ onAction: () => setQuery(params.get("q") ?? "") }}
          />
          <IndexTable
            condensed={condensed}
            resourceName={{ singular: "offer", plural: "offers" }}
            itemCount={rows.length}
            selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
            onSelectionChange={handleSelectionChange}
            hasMoreItems={data.total > rows.length}
            loading={loading || bulk.state != "idle"}
            promotedBulkActions={[
              { content: "Pause", onAction: () => runBulk("pause") },
              { content: "Resume", onAction: () => runBulk("resume") },
            ]}
            bulkActions={[{ content: "Delete offers", onAction: () => setPending("delete") }]}
            headings={[
              { title: "Name" },
              { title: "Kind" },
              { title: "Placements" },
              { title: "Status" },
              { title: "Priority", alignment: "end" },
              { title: "Updated" },
              ...METRIC_COLUMNS.map((c) => ({ title: c.title, alignment: "end" as const, tooltipContent: `${c.tooltip}, last ${data.metricsDays} days` })),
              { title: "Actions", hidden: true },
            ]}
            sortable={[...new Array<boolean>(OWN_COLUMNS).fill(false), ...METRIC_COLUMNS.map(() => true), false]}
            sortColumnIndex={metricIndex >= 0 ? OWN_COLUMNS + metricIndex : undefined}
            sortDirection="descending"
            defaultSortDirection="descending"
            sortToggleLabels={Object.fromEntries(METRIC_COLUMNS.map((c, i) => [OWN_COLUMNS + i, { ascending: `Sort by ${c.title.toLowerCase()}, highest first`, descending: `Sort by ${c.title.toLowerCase()}, highest first` }]))}
            onSort={(index) => {
              const column = METRIC_COLUMNS[index - OWN_COLUMNS];
              if (column) update((p) => p.set("sort", column.sort));
            }}
            emptyState={
              <BlockStack gap="200" inlineAlign="center">
                <Text as="p" variant="headingSm">
                  No offers match
                </Text>
                <Text as="p" tone="subdued">
                  Try another search or filter.
                </Text>
              </BlockStack>
            }
            pagination={{
              hasPrevious: data.page > 1,
              hasNext: data.page < data.pageCount,
              onPrevious: () => update((p) => p.set("page", String(data.page - 1))),
              onNext: () => update((p) => p.set("page", String(data.page + 1))),
              label: data.total ? `${from}–${to} of ${data.total.toLocaleString("en-US")}` : "0 offers",
            }}
          >
            {rows.map((offer, index) => {
              const name = (
                <Link to={`/app/offers/${offer.id}`} onClick={(e) => e.stopPropagation()} style={{ color: "inherit", fontWeight: 600, textDecoration: "none" }} data-primary-link>
                  {offer.name}
                </Link>
              );
              const kind = KIND_LABELS[offer.kind as OfferKind] ?? offer.kind;
              const placements =
                offer.placements.length == PLACEMENTS.length ? "Everywhere" : offer.placements.map((p) => PLACEMENT_LABELS[p as keyof typeof PLACEMENT_LABELS] ?? p).join(", ");
              const badge = <Badge tone={STATUS_BADGE[offer.status].tone}>{STATUS_BADGE[offer.status].label}</Badge>;
              const updated = formatDate(offer.updatedAt, data.timezone);
              // A click on the row selects it: the button's click stays the button's.
              const duplicateButton = (
                <div onClick={(e) => e.stopPropagation()} style={{ display: "inline-block" }}>
                  <Button
                    variant="tertiary"
                    size="slim"
                    accessibilityLabel={`Duplicate ${offer.name}`}
                    onClick={() => duplicate(offer)}
                    loading={duplicatingId == offer.id}
                    disabled={duplicatingId !== undefined && duplicatingId != offer.id}
                  >
                    Duplicate
                  </Button>
                </div>
              );
              return (
                <IndexTable.Row id={offer.id} key={offer.id} position={index} selected={selectedResources.includes(offer.id)}>
                  {condensed ? (
                    <div style={{ padding: "12px 16px", width: "100%", minWidth: 0, overflowWrap: "anywhere" }}>
                      <BlockStack gap="100">
                        <InlineStack align="space-between" blockAlign="start" gap="200" wrap={false}>
                          <div style={{ minWidth: 0 }}>{name}</div>
                          <div style={{ flexShrink: 0, overflowWrap: "normal" }}>{badge}</div>
                        </InlineStack>
                        <Text as="span" tone="subdued" variant="bodySm">
                          {kind} · {placements} · priority {offer.priority} · updated {updated}
                        </Text>
                        <Text as="span" variant="bodySm" numeric>
                          {METRIC_COLUMNS.map((c) => `${c.title} ${metricText(offer.metrics, c.sort, money)}`).join(" · ")}
                        </Text>
                        <div>{duplicateButton}</div>
                      </BlockStack>
                    </div>
                  ) : (
                    <>
                      <IndexTable.Cell>
                        {/* Long names wrap within the column instead of pushing the table wider than its card. */}
                        <div style={{ whiteSpace: "normal", minWidth: 160, maxWidth: 320, overflowWrap: "anywhere" }}>{name}</div>
                      </IndexTable.Cell>
                      <IndexTable.Cell>{kind}</IndexTable.Cell>
                      <IndexTable.Cell>
                        <div style={{ whiteSpace: "normal", minWidth: 96 }}>
                          <Text as="span" tone="subdued">
                            {placements}
                          </Text>
                        </div>
                      </IndexTable.Cell>
                      <IndexTable.Cell>{badge}</IndexTable.Cell>
                      <IndexTable.Cell>
                        <Text as="span" alignment="end" numeric>
                          {offer.priority}
                        </Text>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <Text as="span" tone="subdued">
                          {updated}
                        </Text>
                      </IndexTable.Cell>
                      {METRIC_COLUMNS.map((c) => (
                        <IndexTable.Cell key={c.sort}>
                          <Text as="span" alignment="end" numeric tone={offer.metrics ? undefined : "subdued"}>
                            {metricText(offer.metrics, c.sort, money)}
                          </Text>
                        </IndexTable.Cell>
                      ))}
                      <IndexTable.Cell>{duplicateButton}</IndexTable.Cell>
                    </>
                  )}
                </IndexTable.Row>
              );
            })}
          </IndexTable>
        </Card>
      </BlockStack>
      <Modal
        open={pending == "delete"}
        onClose={() => setPending(null)}
        title={`Delete ${selectedCount} offer${selectedCount == 1 ? "" : "s"}?`}
        primaryAction={{ content: "Delete", destructive: true, onAction: () => runBulk("delete"), loading: bulk.state != "idle" }}
        secondaryActions={[{ content: "Cancel", onAction: () => setPending(null) }]}
      >
        <Modal.Section>
          <Text as="p">Shoppers stop seeing {selectedCount == 1 ? "it" : "them"} as soon as they are deleted. This cannot be undone.</Text>
        </Modal.Section>
      </Modal>
      <AdminToast toast={toast} onDismiss={dismiss} />
    </Page>
  );
}
