// Attributed revenue per day per offer, drawn by Shopify's Polaris Viz (a maintained
// charting library that matches Polaris). Rendered in the browser only: the chart
// measures its container, which the server cannot.
import { useEffect, useState } from "react";
import { LineChart, PolarisVizProvider } from "@shopify/polaris-viz";

export interface RevenueSeries {
  name: string;
  points: Array<{ day: string; value: number }>;
}

export function RevenueChart({ series, format }: { series: RevenueSeries[]; format: (value: number) => string }) {
  const [client, setClient] = useState(false);
  useEffect(() => setClient(true), []);
  if (!client) return <div style={{ height: 260 }} aria-hidden />;
  return (
    <div style={{ height: 260 }} data-testid="revenue-chart">
      <PolarisVizProvider>
        <LineChart
          theme="Light"
          data={series.map((s) => ({ name: s.name, data: s.points.map((p) => ({ key: p.day, value: p.value })) }))}
          yAxisOptions={{ labelFormatter: (value) => format(Number(value ?? 0)) }}
          tooltipOptions={{ valueFormatter: (value) => format(Number(value ?? 0)) }}
          isAnimated={false}
        />
      </PolarisVizProvider>
    </div>
  );
}
