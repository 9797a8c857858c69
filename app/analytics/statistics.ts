// The holdout comparison: what Cartlift's offers changed, with its uncertainty.
// Pure: no I/O; inputs are the rollups' sums per group.
//
// Method (documented for merchants on the analytics page and in the README):
// - The unit is the visitor (a storefront session the pixel counted with its group).
//   Revenue per visitor is X = an order's net revenue for visitors who ordered and 0 for
//   the others; its mean and variance come from the sums n, Σr and Σr² alone (one order
//   per visitor is assumed: a visitor who orders twice counts as two visitors, which
//   slightly understates the variance).
// - Incremental revenue per visitor = mean(X | treatment) − mean(X | holdout), with a
//   95 % Welch interval: diff ± t(0.975, ν) · √(s²ₜ/nₜ + s²ₕ/nₕ), ν by Welch–Satterthwaite.
//   Welch does not assume equal variances (the groups differ in size by design). The
//   incremental total is that difference times the treatment's visitors, with the
//   interval scaled alike. Both are reported only once each group has
//   MIN_ORDERS_PER_GROUP orders: revenue is heavily skewed and the normal approximation
//   behind any t interval is poor below that.
// - Consent: the pixel only counts shoppers who consented, in both groups alike, so the
//   per-visitor figures are per consenting visitor; the incremental total
//   Rₜ − Rₕ·nₜ/nₕ does not depend on the consent rate.
// - Sample-ratio mismatch: a χ² goodness-of-fit test (1 degree of freedom) of the
//   visitors' split against the merchant's holdout share; p < 0.001 warns that the
//   assignment or the counting is broken and the comparison cannot be trusted.
// - Guardrail: checkout completion (completed ÷ started checkouts) of both groups side by
//   side, with a 95 % interval for the difference (two-proportion, unpooled); it warns
//   when the treatment's completion is significantly lower.

export const MIN_ORDERS_PER_GROUP = 100;
export const SRM_P_THRESHOLD = 0.001;

export interface GroupTotals {
  /** Visitors (sessions) counted with this group. */
  visitors: number;
  orders: number;
  /** Σ of orders' net revenue, in minor units. */
  revenue: number;
  /** Σ of squares of orders' net revenue (minor units²). */
  revenueSq: number;
  checkoutsStarted: number;
  checkoutsCompleted: number;
}

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

export interface GroupSummary {
  visitors: number;
  orders: number;
  revenue: number;
  conversion: number | null;
  aov: number | null;
  revenuePerVisitor: number | null;
  checkoutCompletion: number | null;
}

export interface Comparison {
  treatment: GroupSummary;
  holdout: GroupSummary;
  /** Orders each group still needs before the lift is shown (0 when enough). */
  ordersNeeded: number;
  enoughData: boolean;
  /** Incremental revenue per visitor (minor units), treatment − holdout; null until enough data. */
  incrementalPerVisitor: Interval | null;
  /** Incremental revenue over the treatment's visitors (minor units). */
  incrementalTotal: Interval | null;
  /** Welch's degrees of freedom of the interval. */
  degreesOfFreedom: number | null;
  srm: { chiSquare: number; p: number; expectedHoldoutShare: number; observedHoldoutShare: number; mismatch: boolean } | null;
  guardrail: { difference: Interval; alarm: boolean } | null;
}

/** Mean and unbiased variance of per-visitor revenue from the sums. */
export function perVisitorMoments(group: Pick<GroupTotals, "visitors" | "orders" | "revenue" | "revenueSq">): { n: number; mean: number; variance: number } {
  const n = Math.max(group.visitors, group.orders);
  if (n === 0) return { n: 0, mean: 0, variance: 0 };
  const mean = group.revenue / n;
  const variance = n > 1 ? Math.max(0, (group.revenueSq - n * mean * mean) / (n - 1)) : 0;
  return { n, mean, variance };
}

/** Welch's interval for the difference of two means, at the given two-sided level. */
export function welchInterval(
  a: { n: number; mean: number; variance: number },
  b: { n: number; mean: number; variance: number },
  level = 0.95,
): { interval: Interval; df: number } | null {
  if (a.n < 2 || b.n < 2) return null;
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const se = Math.sqrt(va + vb);
  const estimate = a.mean - b.mean;
  if (se === 0) return { interval: { estimate, low: estimate, high: estimate }, df: a.n + b.n - 2 };
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  const t = studentTQuantile(1 - (1 - level) / 2, df);
  return { interval: { estimate, low: estimate - t * se, high: estimate + t * se }, df };
}

export function compareGroups(treatment: GroupTotals, holdout: GroupTotals, holdoutShare: number): Comparison {
  const summary = (g: GroupTotals): GroupSummary => ({
    visitors: g.visitors,
    orders: g.orders,
    revenue: g.revenue,
    conversion: g.visitors > 0 ? g.orders / g.visitors : null,
    aov: g.orders > 0 ? g.revenue / g.orders : null,
    revenuePerVisitor: g.visitors > 0 ? g.revenue / g.visitors : null,
    checkoutCompletion: g.checkoutsStarted > 0 ? Math.min(1, g.checkoutsCompleted / g.checkoutsStarted) : null,
  });
  const ordersNeeded = Math.max(0, MIN_ORDERS_PER_GROUP - Math.min(treatment.orders, holdout.orders));
  const hasVisitors = treatment.visitors > 0 && holdout.visitors > 0;
  const enoughData = ordersNeeded === 0 && hasVisitors;

  let incrementalPerVisitor: Interval | null = null;
  let incrementalTotal: Interval | null = null;
  let degreesOfFreedom: number | null = null;
  if (enoughData) {
    const welch = welchInterval(perVisitorMoments(treatment), perVisitorMoments(holdout));
    if (welch) {
      incrementalPerVisitor = welch.interval;
      degreesOfFreedom = welch.df;
      const n = Math.max(treatment.visitors, treatment.orders);
      incrementalTotal = { estimate: welch.interval.estimate * n, low: welch.interval.low * n, high: welch.interval.high * n };
    }
  }

  return {
    treatment: summary(treatment),
    holdout: summary(holdout),
    ordersNeeded,
    enoughData,
    incrementalPerVisitor,
    incrementalTotal,
    degreesOfFreedom,
    srm: sampleRatioMismatch(treatment.visitors, holdout.visitors, holdoutShare),
    guardrail: completionGuardrail(treatment, holdout),
  };
}

/** χ² test of the visitors' split against the expected holdout share (null without visitors or a holdout). */
export function sampleRatioMismatch(treatmentVisitors: number, holdoutVisitors: number, holdoutShare: number) {
  const total = treatmentVisitors + holdoutVisitors;
  if (total === 0) return null;
  const observedHoldoutShare = holdoutVisitors / total;
  if (holdoutShare <= 0 || holdoutShare >= 1) {
    // No holdout configured: any holdout visitor is a mismatch by itself.
    const mismatch = holdoutShare <= 0 ? holdoutVisitors > 0 : treatmentVisitors > 0;
    return { chiSquare: mismatch ? Infinity : 0, p: mismatch ? 0 : 1, expectedHoldoutShare: holdoutShare, observedHoldoutShare, mismatch };
  }
  const expectedHoldout = total * holdoutShare;
  const expectedTreatment = total - expectedHoldout;
  const chiSquare = (holdoutVisitors - expectedHoldout) ** 2 / expectedHoldout + (treatmentVisitors - expectedTreatment) ** 2 / expectedTreatment;
  const p = chiSquareSurvival1(chiSquare);
  return { chiSquare, p, expectedHoldoutShare: holdoutShare, observedHoldoutShare, mismatch: p < SRM_P_THRESHOLD };
}

/** Difference of checkout completion (treatment − holdout) with a 95 % normal interval. */
export function completionGuardrail(treatment: GroupTotals, holdout: GroupTotals) {
  if (treatment.checkoutsStarted === 0 || holdout.checkoutsStarted === 0) return null;
  const pt = Math.min(1, treatment.checkoutsCompleted / treatment.checkoutsStarted);
  const ph = Math.min(1, holdout.checkoutsCompleted / holdout.checkoutsStarted);
  const se = Math.sqrt((pt * (1 - pt)) / treatment.checkoutsStarted + (ph * (1 - ph)) / holdout.checkoutsStarted);
  const z = normalQuantile(0.975);
  const difference = { estimate: pt - ph, low: pt - ph - z * se, high: pt - ph + z * se };
  return { difference, alarm: difference.high < 0 };
}

// ---- distributions -------------------------------------------------------------------

/** P(χ²₁ > x) = erfc(√(x/2)). */
export function chiSquareSurvival1(x: number): number {
  if (!(x > 0)) return 1;
  return erfc(Math.sqrt(x / 2));
}

/** Complementary error function (Numerical Recipes' erfc, |relative error| < 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Standard normal quantile (Acklam's rational approximation, refined by one Newton step). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const e = 0.5 * erfc(-x / Math.SQRT2) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9).
  const g = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let sum = g[0];
  for (let i = 1; i < 9; i++) sum += g[i] / (x + i);
  const t = x + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Regularized incomplete beta I_x(a, b) by Lentz's continued fraction. */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  const tiny = 1e-300;
  let f = 1;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  f = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let num = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + num * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + num / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    f *= d * c;
    num = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + num * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + num / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-12) break;
  }
  return (front * f) / a;
}

/** CDF of Student's t with ν degrees of freedom (ν may be fractional, as Welch's is). */
export function studentTCdf(t: number, df: number): number {
  const x = df / (df + t * t);
  const tail = 0.5 * incompleteBeta(x, df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** Quantile of Student's t: bisection on the CDF (monotone), to 1e-10. */
export function studentTQuantile(p: number, df: number): number {
  if (!Number.isFinite(df) || df > 1e7) return normalQuantile(p);
  let lo = -1e4;
  let hi = 1e4;
  for (let i = 0; i < 200 && hi - lo > 1e-10; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
