// The analytics page's offer table as CSV (GET /app/analytics.csv?days=30).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticateAdmin } from "../shopify.server";
import { loadAnalytics, offersCsv, PERIODS } from "../analytics/report.server";
import { minorDigits } from "../engine/money";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const asked = Number(new URL(request.url).searchParams.get("days"));
  const days = (PERIODS as readonly number[]).includes(asked) ? asked : 30;
  const report = await loadAnalytics(session.shop, { days });
  return new Response(offersCsv(report, minorDigits(report.currency)), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="cartlift-offers-${report.from}-${report.to}.csv"`,
    },
  });
};
