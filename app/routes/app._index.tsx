// The admin home: what Cartlift earned (the analytics page), with the setup guide and the
// shop beside it. Reads the daily rollups for the period (app/analytics/report.server.ts).
import { useMemo, useState } from "react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, DataTable, InlineGrid, InlineStack, Layout, Page, Select, Text } from "@shopify/polaris";
import { authenticateAdmin } from "../shopify.server";
import { getShopOverview } from "../shop/overview.server";
import { loadSetupGuide } from "../shop/setup-guide.server";
import { SetupGuide } from "../components/admin/SetupGuide";
import { loadAnalytics } from "../analytics/report.server";
import { PERIODS } from "../analytics/periods";
import { MIN_ORDERS_PER_GROUP, type Interval } from "../analytics/statistics";
import { minorDigits } from "../engine/money";
import { RevenueChart } from "../components/analytics/RevenueChart";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";

export const links = () => [{ rel: "stylesheet", href: vizStyles }];
import { pageTitle } from "../components/admin/title";

export const meta = () => pageTitle("Home");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticateAdmin(request);
  const overview = await getShopOverview(admin, session.shop);
  const asked = Number(new URL(request.url).searchParams.get("days"));
  const days = (PERIODS as readonly number[]).includes(asked) ? asked : 30;
  const [report, guide] = await Promise.all([
    loadAnalytics(session.shop, { days, currency: overview.currency, timezone: overview.timezone }),
    loadSetupGuide(admin, session.shop, { shopDomain: overview.domain, currency: overview.currency }),
  ]);
  return { overview, report, days, guide };
};

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function useMoney(currency: string) {
  return useMemo(() => {
    const digits = minorDigits(currency);
    const format = new Intl.NumberFormat("en-US", { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    return (minor: number | null | undefined) => (minor === null || minor === undefined ? "—" : format.format(minor / 10 ** digits));
  }, [currency]);
}

const percent = (r: number | null | undefined, digits = 1) => (r === null || r === undefined ? "—" : `${(r * 100).toFixed(digits)}%`);

export default function Home() {
  const { overview, report, days, guide } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const money = useMoney(report.currency);
  return (
    <Page title="Cartlift" subtitle={`What your offers earned, ${report.from} to ${report.to} (${report.timezone}, ${report.currency})`}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {report.demo ? (
              <Banner tone="info" title="Demo history">
                <p>These figures include a generated demo history (npm run demo), not real orders.</p>
              </Banner>
            ) : null}
            <InlineStack align="space-between" blockAlign="center">
              <Box minWidth="200px">
                <Select
                  label="Period"
                  labelInline
                  options={PERIODS.map((d) => ({ label: `Last ${d} days`, value: String(d) }))}
                  value={String(days)}
                  onChange={(value) => navigate(`?days=${value}`)}
                />
              </Box>
              <Button url={`/app/analytics.csv?days=${days}`} download>
                Export CSV
              </Button>
            </InlineStack>
            <HoldoutCard report={report} money={money} />
            <OffersCard report={report} money={money} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <SetupGuide guide={guide} />
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">Your shop</Text>
                <InlineGrid columns={2} gap="200">
                  <Text as="span" tone="subdued">Shop</Text>
                  <Text as="span" fontWeight="semibold" id="shop-name">{overview.name}</Text>
                  <Text as="span" tone="subdued">Domain</Text>
                  <Text as="span">{overview.domain}</Text>
                  <Text as="span" tone="subdued">Currency</Text>
                  <Text as="span">
                    {[overview.currency, ...overview.presentmentCurrencies.filter((c) => c !== overview.currency)].join(", ")}
                  </Text>
                  <Text as="span" tone="subdued">Catalog</Text>
                  <Text as="span" id="catalog-size">{overview.productCount} products</Text>
                  <Text as="span" tone="subdued">Offers</Text>
                  <Text as="span">{overview.offerCount}</Text>
                  <Text as="span" tone="subdued">Holdout</Text>
                  <Text as="span">{percent(report.holdoutShare, 0)} of shoppers</Text>
                </InlineGrid>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function HoldoutCard({ report, money }: { report: Data["report"]; money: (m: number | null | undefined) => string }) {
  const c = report.comparison;
  const none = report.groups.none;
  const interval = (i: Interval | null, format: (n: number) => string) => (i ? `${format(i.estimate)} (95% interval ${format(i.low)} to ${format(i.high)})` : "—");
  const rows = [
    ["Visitors (sessions)", String(c.treatment.visitors), String(c.holdout.visitors), String(none.visitors)],
    ["Orders", String(c.treatment.orders), String(c.holdout.orders), String(none.orders)],
    ["Revenue", money(c.treatment.revenue), money(c.holdout.revenue), money(none.revenue)],
    ["Conversion", percent(c.treatment.conversion, 2), percent(c.holdout.conversion, 2), percent(none.visitors ? none.orders / none.visitors : null, 2)],
    ["Average order value", money(c.treatment.aov), money(c.holdout.aov), money(none.orders ? none.revenue / none.orders : null)],
    ["Revenue per visitor", money(c.treatment.revenuePerVisitor), money(c.holdout.revenuePerVisitor), money(none.visitors ? none.revenue / none.visitors : null)],
    ["Checkout completion", percent(c.treatment.checkoutCompletion), percent(c.holdout.checkoutCompletion), percent(none.checkoutsStarted ? none.checkoutsCompleted / none.checkoutsStarted : null)],
  ];
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">With offers vs. the holdout</Text>
        {c.srm?.mismatch ? (
          <Banner tone="warning" title="The split between groups drifted from your setting">
            <p>
              {percent(c.srm.observedHoldoutShare)} of visitors were in the holdout, against {percent(c.srm.expectedHoldoutShare, 0)} set (χ² p = {c.srm.p.toExponential(1)}).
              Something is assigning or counting shoppers unevenly, so the comparison below cannot be trusted until it is fixed.
            </p>
          </Banner>
        ) : null}
        {c.guardrail?.alarm ? (
          <Banner tone="critical" title="Fewer shoppers with offers finish checkout">
            <p>Checkout completion is {percent(-c.guardrail.difference.estimate)} lower with offers (95% interval {percent(-c.guardrail.difference.high)} to {percent(-c.guardrail.difference.low)}).</p>
          </Banner>
        ) : null}
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "numeric"]}
          headings={["", "With offers", "Holdout", "No group"]}
          rows={rows}
        />
        <div data-testid="lift">
          {c.enoughData ? (
            <BlockStack gap="100">
              <Text as="p">Incremental revenue per visitor: <Text as="span" fontWeight="semibold">{interval(c.incrementalPerVisitor, (n) => money(n))}</Text></Text>
              <Text as="p">Incremental revenue in total: <Text as="span" fontWeight="semibold">{interval(c.incrementalTotal, (n) => money(n))}</Text></Text>
            </BlockStack>
          ) : (
            <Text as="p" tone="subdued">
              Not enough data yet: {c.ordersNeeded > 0 ? `${c.ordersNeeded} more orders per group` : "no visitors counted yet"} before the lift is shown (each group needs {MIN_ORDERS_PER_GROUP} orders).
            </Text>
          )}
        </div>
        <Text as="p" variant="bodySm" tone="subdued">
          The lift compares orders of shoppers who saw offers with those of the holdout, who saw none; the 95% interval is Welch's. Visitors are
          counted by Cartlift's pixel, which runs only with the shopper's consent. Orders with no group (a checkout link that skipped the store)
          are counted apart.
        </Text>
      </BlockStack>
    </Card>
  );
}

type SortKey = "name" | "impressions" | "clickRate" | "acceptRate" | "orders" | "revenue" | "refunded";
const COLUMNS: Array<{ key: SortKey; heading: string; numeric: boolean }> = [
  { key: "name", heading: "Offer", numeric: false },
  { key: "impressions", heading: "Impressions", numeric: true },
  { key: "clickRate", heading: "Click rate", numeric: true },
  { key: "acceptRate", heading: "Accept rate", numeric: true },
  { key: "orders", heading: "Orders", numeric: true },
  { key: "revenue", heading: "Attributed revenue", numeric: true },
  { key: "refunded", heading: "Refunded", numeric: true },
];

function OffersCard({ report, money }: { report: Data["report"]; money: (m: number | null | undefined) => string }) {
  const [sort, setSort] = useState<{ index: number; direction: "ascending" | "descending" }>({ index: 5, direction: "descending" });
  const sorted = useMemo(() => {
    const key = COLUMNS[sort.index].key;
    const sign = sort.direction === "ascending" ? 1 : -1;
    return [...report.offers].sort((a, b) => {
      const x = a[key] ?? -1;
      const y = b[key] ?? -1;
      return sign * (typeof x === "string" ? x.localeCompare(String(y)) : (x as number) - (y as number));
    });
  }, [report.offers, sort]);
  const digits = minorDigits(report.currency);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">Offers</Text>
        {report.offers.length ? (
          <>
            <RevenueChart
              series={report.series.slice(0, 5).map((s) => ({ name: s.name, points: report.days.map((day, i) => ({ day, value: (s.revenue[i] ?? 0) / 10 ** digits })) }))}
              format={(value) => money(Math.round(value * 10 ** digits))}
            />
            <div data-testid="offers-table">
              <DataTable
                columnContentTypes={COLUMNS.map((c) => (c.numeric ? "numeric" : "text"))}
                headings={COLUMNS.map((c) => c.heading)}
                sortable={COLUMNS.map(() => true)}
                defaultSortDirection="descending"
                initialSortColumnIndex={5}
                onSort={(index, direction) => setSort({ index, direction: direction === "ascending" ? "ascending" : "descending" })}
                rows={sorted.map((o) => [o.name, String(o.impressions), percent(o.clickRate), percent(o.acceptRate), String(o.orders), money(o.revenue), money(o.refunded)])}
              />
            </div>
            <Text as="p" variant="bodySm" tone="subdued">
              Attributed revenue is what lines added from each offer earned after discounts, net of refunds and cancellations. Part of it
              would have sold anyway: the holdout comparison above measures what the offers add.
            </Text>
          </>
        ) : (
          <Text as="p" tone="subdued">No offer has been seen or bought in this period yet.</Text>
        )}
      </BlockStack>
    </Card>
  );
}
