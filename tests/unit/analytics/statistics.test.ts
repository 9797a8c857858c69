// The statistics against values computed independently here: raw per-visitor arrays
// (not the rollups' sums), a bootstrap of the same data, published table values of the
// t and χ² distributions, and a numerically integrated normal density.
import { describe, expect, it } from "vitest";
import {
  chiSquareSurvival1,
  compareGroups,
  MIN_ORDERS_PER_GROUP,
  normalQuantile,
  perVisitorMoments,
  studentTQuantile,
  welchInterval,
  type GroupTotals,
} from "../../../app/analytics/statistics";

function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Per-visitor revenue: `orders` visitors with a log-normal order value (minor units), the rest 0. */
function visitors(n: number, orders: number, medianMinor: number, seed: number): number[] {
  const random = mulberry32(seed);
  const out = new Array<number>(n).fill(0);
  for (let i = 0; i < orders; i++) {
    const z = Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
    out[i] = Math.round(medianMinor * Math.exp(0.6 * z));
  }
  return out;
}

function totals(xs: number[], checkouts: [number, number] = [0, 0]): GroupTotals {
  const orders = xs.filter((x) => x > 0);
  return {
    visitors: xs.length,
    orders: orders.length,
    revenue: orders.reduce((s, x) => s + x, 0),
    revenueSq: orders.reduce((s, x) => s + x * x, 0),
    checkoutsStarted: checkouts[0],
    checkoutsCompleted: checkouts[1],
  };
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const variance = (xs: number[]) => {
  const m = mean(xs);
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
};

/** Φ(z) by Simpson's rule on the normal density (independent of the module's erfc). */
function normalCdf(z: number): number {
  const steps = 20000;
  const a = -12;
  const h = (z - a) / steps;
  const f = (x: number) => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
  let sum = f(a) + f(z);
  for (let i = 1; i < steps; i++) sum += f(a + i * h) * (i % 2 ? 4 : 2);
  return (sum * h) / 3;
}

describe("distributions", () => {
  it("t quantiles match the published table", () => {
    const table: Array<[number, number]> = [[1, 12.7062], [2, 4.3027], [5, 2.5706], [10, 2.2281], [30, 2.0423], [120, 1.9799], [1000, 1.9623]];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 3);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
  });

  it("χ² (1 df) tail probabilities match the table and the integrated normal", () => {
    expect(chiSquareSurvival1(3.841459)).toBeCloseTo(0.05, 5);
    expect(chiSquareSurvival1(6.634897)).toBeCloseTo(0.01, 5);
    expect(chiSquareSurvival1(10.827566)).toBeCloseTo(0.001, 6);
    for (const x of [0.5, 2.7778, 8]) expect(chiSquareSurvival1(x)).toBeCloseTo(2 * (1 - normalCdf(Math.sqrt(x))), 5);
  });
});

describe("incremental revenue per visitor (Welch)", () => {
  const treatment = visitors(4000, 320, 6500, 1);
  const holdout = visitors(1300, 100, 6000, 2);

  it("the moments from the rollups' sums equal those of the raw per-visitor values", () => {
    const m = perVisitorMoments(totals(treatment));
    expect(m.n).toBe(4000);
    expect(m.mean).toBeCloseTo(mean(treatment), 6);
    expect(m.variance / variance(treatment)).toBeCloseTo(1, 9);
  });

  it("equals Welch's interval computed directly from the raw values", () => {
    const result = compareGroups(totals(treatment), totals(holdout), 0.25);
    const va = variance(treatment) / treatment.length;
    const vb = variance(holdout) / holdout.length;
    const df = (va + vb) ** 2 / (va ** 2 / (treatment.length - 1) + vb ** 2 / (holdout.length - 1));
    const diff = mean(treatment) - mean(holdout);
    expect(result.degreesOfFreedom).toBeCloseTo(df, 6);
    expect(result.incrementalPerVisitor!.estimate).toBeCloseTo(diff, 6);
    const halfWidth = (result.incrementalPerVisitor!.high - result.incrementalPerVisitor!.low) / 2;
    // For ν in the thousands the t quantile is within 0.1 % of the normal's 1.95996.
    expect(halfWidth / (1.959964 * Math.sqrt(va + vb))).toBeGreaterThan(1);
    expect(halfWidth / (1.959964 * Math.sqrt(va + vb))).toBeLessThan(1.001);
    expect(result.incrementalTotal!.estimate).toBeCloseTo(diff * 4000, 3);
  });

  it("agrees with a percentile bootstrap of the same visitors", () => {
    const result = welchInterval(perVisitorMoments(totals(treatment)), perVisitorMoments(totals(holdout)))!;
    const random = mulberry32(99);
    const resample = (xs: number[]) => {
      let sum = 0;
      for (let i = 0; i < xs.length; i++) sum += xs[Math.floor(random() * xs.length)];
      return sum / xs.length;
    };
    const diffs = Array.from({ length: 2000 }, () => resample(treatment) - resample(holdout)).sort((a, b) => a - b);
    const low = diffs[Math.floor(0.025 * diffs.length)];
    const high = diffs[Math.floor(0.975 * diffs.length)];
    const halfWidth = (result.interval.high - result.interval.low) / 2;
    expect(Math.abs(result.interval.low - low)).toBeLessThan(0.12 * halfWidth);
    expect(Math.abs(result.interval.high - high)).toBeLessThan(0.12 * halfWidth);
  });

  it("small samples: equal sizes and variances give ν = 2(n−1) and the table's t", () => {
    const a = { n: 6, mean: 50, variance: 16 };
    const b = { n: 6, mean: 44, variance: 16 };
    const result = welchInterval(a, b)!;
    expect(result.df).toBeCloseTo(10, 9);
    const se = Math.sqrt(16 / 6 + 16 / 6);
    expect(result.interval.low).toBeCloseTo(6 - 2.228139 * se, 4);
    expect(result.interval.high).toBeCloseTo(6 + 2.228139 * se, 4);
  });

  it("says how many more orders each group needs and shows no lift until then", () => {
    const few = compareGroups(totals(visitors(900, 80, 6500, 3)), totals(visitors(100, 9, 6000, 4)), 0.1);
    expect(few.enoughData).toBe(false);
    expect(few.ordersNeeded).toBe(MIN_ORDERS_PER_GROUP - 9);
    expect(few.incrementalPerVisitor).toBeNull();
    expect(few.incrementalTotal).toBeNull();
    expect(few.treatment.conversion).toBeCloseTo(80 / 900, 9);
    expect(few.holdout.aov).toBeCloseTo(totals(visitors(100, 9, 6000, 4)).revenue / 9, 9);
  });

  it("shows no lift without visitor counts (the pixel saw no one), however many orders", () => {
    const t = { ...totals(treatment), visitors: 0 };
    const h = { ...totals(holdout), visitors: 0 };
    const result = compareGroups(t, h, 0.25);
    expect(result.enoughData).toBe(false);
    expect(result.treatment.revenuePerVisitor).toBeNull();
  });
});

describe("sample-ratio mismatch", () => {
  it("accepts a split close to the setting", () => {
    const result = compareGroups(totals(visitors(8950, 0, 1, 5)), totals(visitors(1050, 0, 1, 6)), 0.1);
    const x2 = 50 ** 2 / 1000 + 50 ** 2 / 9000;
    expect(result.srm!.chiSquare).toBeCloseTo(x2, 9);
    expect(result.srm!.p).toBeCloseTo(2 * (1 - normalCdf(Math.sqrt(x2))), 5);
    expect(result.srm!.mismatch).toBe(false);
  });

  it("warns when the split drifts from the setting", () => {
    const result = compareGroups(totals(visitors(9300, 0, 1, 7)), totals(visitors(700, 0, 1, 8)), 0.1);
    expect(result.srm!.chiSquare).toBeCloseTo(300 ** 2 / 1000 + 300 ** 2 / 9000, 9);
    expect(result.srm!.observedHoldoutShare).toBeCloseTo(0.07, 9);
    expect(result.srm!.mismatch).toBe(true);
  });

  it("with the holdout off, any holdout visitor is a mismatch", () => {
    expect(compareGroups(totals(visitors(100, 0, 1, 9)), totals(visitors(3, 0, 1, 9)), 0).srm!.mismatch).toBe(true);
    expect(compareGroups(totals(visitors(100, 0, 1, 9)), totals([]), 0).srm!.mismatch).toBe(false);
  });
});

describe("checkout-completion guardrail", () => {
  it("compares completion side by side and alarms only when the treatment is significantly lower", () => {
    const fine = compareGroups(totals(treatment(), [1000, 700]), totals(holdout(), [110, 78]), 0.1);
    expect(fine.treatment.checkoutCompletion).toBeCloseTo(0.7, 9);
    expect(fine.holdout.checkoutCompletion).toBeCloseTo(78 / 110, 9);
    const se = Math.sqrt((0.7 * 0.3) / 1000 + ((78 / 110) * (32 / 110)) / 110);
    expect(fine.guardrail!.difference.low).toBeCloseTo(0.7 - 78 / 110 - 1.959964 * se, 5);
    expect(fine.guardrail!.alarm).toBe(false);
    const worse = compareGroups(totals(treatment(), [1000, 550]), totals(holdout(), [1000, 700]), 0.5);
    expect(worse.guardrail!.alarm).toBe(true);
  });
  function treatment() { return visitors(10, 1, 100, 1); }
  function holdout() { return visitors(10, 1, 100, 2); }
});
