// Checkout benchmark: the checkout extension's bundle size (one bundle for all its targets,
// built as Shopify CLI builds it), and the discount function's WebAssembly module measured
// as Shopify measures it: instructions executed (Shopify's function-runner reports wasmtime
// 39's fuel; localshop/function-runner/meter.ts counts the same), input and output bytes.
// One figure per line:  figure <name> <value> <unit>
//
// Budgets (Shopify's hard limits in brackets):
//   checkout.extension.gzip            ≤ 16,384 bytes      [64 KB]
//   function.instructions.200lines     ≤ 2,000,000, aim 1,000,000   [11,000,000 up to 200 lines]
//   function.input.200lines            ≤ 56,000 bytes      [64,000]
//   function.output.200lines           ≤ 20,000 bytes      [20,000]
//   function.wasm.size                 well under 262,144 bytes     [256 KB]
// The bench configuration is the demo's offers plus cross-sells until the discount plan is
// close to the 10,000 bytes the publisher allows; `.demo` figures use the demo's four offers.
// Carts: the first 1, 5 or 200 lines of one 200-line cart whose lines earn many discounts.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import type { Offer, Ruleset } from "../app/engine";
import { discountPlan, planVariables, type DiscountPlan } from "../app/engine/plan";
import { localTime } from "../localshop/checkout/checkout";
import { DISCOUNT_CONFIGURATION_LIMIT_BYTES } from "../app/offers/metafields";
import { runInputQuery, type DiscountTarget } from "../localshop/checkout/function-input";
import { functionOutputProblems } from "../localshop/checkout/function-output";
import { FUNCTION_WASM, TARGET_EXPORTS } from "../localshop/checkout/wasm-function";
import { FUNCTION_LIMITS, runWithinLimits } from "../localshop/function-runner/limits";
import { meteredModule, runFunction } from "../localshop/function-runner/run";
import { CHECKOUT_EXTENSION_DIR, checkoutEntry } from "../scripts/build-checkout";
import { DEMO, demoRuleset, demoVariant } from "../tests/unit/checkout/demo-ruleset";


const figure = (name: string, value: number, unit: string) => console.log(`figure ${name} ${value} ${unit}`);
const missed: string[] = [];
/** Notes a figure over its budget (listed at the end; the benchmark still completes). */
const over = (name: string, value: number, budget: number, what: string) => {
  if (value > budget) missed.push(`# over budget: ${name} ${value} > ${budget} (${what})`);
};

// ---- the checkout extension's bundle ----------------------------------------------------
const bundle = await build({
  stdin: { contents: checkoutEntry(), resolveDir: CHECKOUT_EXTENSION_DIR, loader: "tsx" },
  bundle: true,
  minify: true,
  target: "es6",
  jsx: "automatic",
  jsxImportSource: "preact",
  legalComments: "none",
  define: { "process.env.NODE_ENV": '"production"' },
  write: false,
  outfile: "checkout-offers.js",
});
const code = bundle.outputFiles[0].contents;
figure("checkout.extension.min", code.length, "bytes");
const gzipped = gzipSync(code, { level: 9 }).length;
figure("checkout.extension.gzip", gzipped, "bytes");
over("checkout.extension.gzip", gzipped, 16_384, "budget");

// ---- configurations ------------------------------------------------------------------------
function planOf(ruleset: Ruleset): DiscountPlan {
  const result = discountPlan(ruleset);
  if (!result.ok) throw new Error(`bench ruleset invalid: ${JSON.stringify(result.errors.slice(0, 3))}`);
  return result.plan;
}

/** The demo's offers, one of them ending on the bench's date (so the function evaluates at
 *  several moments), plus cross-sells on synthetic products until the plan is close to the
 *  publisher's limit. */
function benchRuleset(): Ruleset {
  const base = demoRuleset({ shop: { freeShipping: { amount: 7500, amounts: { EUR: 6900 } } } });
  const offers: Offer[] = base.offers.map((o) => (o.id == "phone-case" ? { ...o, endsAt: "2026-11-24T18:00:00Z" } : o));
  let ruleset: Ruleset = { ...base, offers };
  for (let i = 0; ; i++) {
    const parent = String(8_012_345_600_000 + 2 * i);
    const addOn = String(8_012_345_600_001 + 2 * i);
    const next: Ruleset = {
      ...ruleset,
      offers: [
        ...ruleset.offers,
        { id: `x${i}`, kind: "cross_sell", trigger: { products: [parent] }, variants: [`4${addOn}`], discount: { kind: "percent", value: 5 + (i % 20) } },
      ],
      products: {
        ...ruleset.products,
        [parent]: { title: "", handle: `p${parent}`, variants: { [`4${parent}`]: { price: 2500 + i } } },
        [addOn]: { title: "", handle: `p${addOn}`, variants: { [`4${addOn}`]: { price: 900 + i } } },
      },
    };
    if (JSON.stringify(planOf(next)).length > DISCOUNT_CONFIGURATION_LIMIT_BYTES - 200) return ruleset;
    ruleset = next;
  }
}

interface Line {
  variantId: string;
  productId: string;
  unit: number;
  quantity: number;
  offer?: string;
  vendor?: string;
  productType?: string;
}

/** 200 lines: the demo's products (each earning its offer), then synthetic parents with the
 *  add-on their cross-sell discounts, then lines no offer touches. */
function cartLines(ruleset: Ruleset): Line[] {
  const lines: Line[] = [];
  const demo = (variantId: string, quantity: number, offer?: string) => {
    const v = demoVariant(variantId);
    lines.push({ variantId, productId: v.productId, unit: v.price, quantity, offer, vendor: v.product.vendor, productType: v.product.productType });
  };
  demo(DEMO.phone.gb64, 1);
  demo(DEMO.phoneCase.black, 2, "phone-case");
  demo(DEMO.phone.gb128, 1, "phone-upgrade");
  demo(DEMO.burger.variant, 3);
  demo(DEMO.fries.regular, 3);
  demo(DEMO.drink.cola, 2);
  demo(DEMO.coffee.wholeBean, 2);
  demo(DEMO.coffee.ground, 1);
  for (let i = 0; lines.length < 200; i++) {
    const offer = ruleset.offers.find((o) => o.id == `x${i}`);
    if (offer && offer.kind == "cross_sell" && lines.length < 190) {
      const parent = offer.trigger!.products![0];
      lines.push({ variantId: `4${parent}`, productId: parent, unit: 2500 + i, quantity: 1, vendor: "Northfield Leather", productType: "Accessory" });
      lines.push({ variantId: offer.variants[0], productId: offer.variants[0].slice(1), unit: 900 + i, quantity: 1 + (i % 3), offer: offer.id, vendor: "Aurora Mobile", productType: "Phone Case" });
    } else
      lines.push({ variantId: String(44_012_345_600_000 + i), productId: String(8_812_345_600_000 + i), unit: 1000 + i, quantity: 1, vendor: "Cartlift Demo", productType: "Filler" });
  }
  return lines;
}

/** The data the input queries resolve against (Discount Function API field names). */
function inputRoot(lines: Line[], plan: DiscountPlan) {
  const m = (minor: number) => ({ amount: (minor / 100).toFixed(2), currencyCode: "USD" });
  const subtotal = lines.reduce((s, l) => s + l.unit * l.quantity, 0);
  return {
    cart: {
      lines: lines.map((l, i) => ({
        id: `gid://shopify/CartLine/${i + 1}`,
        quantity: l.quantity,
        cost: { amountPerQuantity: m(l.unit) },
        attribute: l.offer ? { key: "_cartlift_offer", value: l.offer } : null,
        merchandise: {
          __typename: "ProductVariant",
          id: `gid://shopify/ProductVariant/${l.variantId}`,
          product: { id: `gid://shopify/Product/${l.productId}`, vendor: l.vendor ?? null, productType: l.productType ?? null },
        },
      })),
      cost: { subtotalAmount: m(subtotal) },
      buyerIdentity: null,
      deliveryGroups: [{ id: "gid://shopify/CartDeliveryGroup/1" }],
    },
    discount: { discountClasses: ["PRODUCT", "SHIPPING"], metafield: { jsonValue: plan } },
    localization: { country: { isoCode: "US" } },
    presentmentCurrencyRate: "1.0",
    shop: { localTime: localTime(Date.parse("2026-11-24T12:00:00Z"), "UTC") },
  };
}

/** The input queries' variables (these plans have no schedule slots: all unused). */
const VARIABLES = planVariables({}, "UTC");

// ---- the module ------------------------------------------------------------------------------
const wasm = readFileSync(FUNCTION_WASM);
figure("function.wasm.size", wasm.length, "bytes");
over("function.wasm.size", wasm.length, FUNCTION_LIMITS.moduleBytes, "Shopify's module limit");
const module = meteredModule(wasm);

/** One metered run within Shopify's limits; a refused run fails the benchmark. */
function run(target: DiscountTarget, root: object) {
  const input = runInputQuery(target, root, VARIABLES);
  const result = runWithinLimits(module, TARGET_EXPORTS[target], input, (output) => functionOutputProblems(target, output));
  if (!result.ok) throw new Error(`${target} refused: ${result.reason}\n${result.logs}`);
  return result;
}

const LINES = "cart.lines.discounts.generate.run";
const DELIVERY = "cart.delivery-options.discounts.generate.run";

for (const [suffix, ruleset] of [
  ["", benchRuleset()],
  [".demo", demoRuleset()],
] as const) {
  const plan = planOf(ruleset);
  figure(`function.configuration${suffix}`, JSON.stringify(plan).length, "bytes");
  figure(`function.configuration.offers${suffix}`, plan.o.length, "offers");
  const lines = cartLines(ruleset);
  for (const n of [1, 5, 200]) figure(`function.instructions.${n}lines${suffix}`, run(LINES, inputRoot(lines.slice(0, n), plan)).instructions, "instructions");
  const full = inputRoot(lines, plan);
  const delivery = run(DELIVERY, full);
  figure(`function.instructions.200lines.delivery${suffix}`, delivery.instructions, "instructions");
  const linesRun = run(LINES, full);
  figure(`function.input.200lines${suffix}`, linesRun.inputBytes, "bytes");
  figure(`function.input.200lines.delivery${suffix}`, delivery.inputBytes, "bytes");
  figure(`function.output.200lines${suffix}`, linesRun.outputBytes, "bytes");
  over(`function.instructions.200lines${suffix}`, linesRun.instructions, 2_000_000, "budget; aim 1,000,000");
  // What a function-runner on wasmtime 46 or later would count: it also charges memory.copy
  // and memory.fill per byte (function-runner 9.2.1 pins wasmtime 39, which does not).
  figure(`function.bulk_memory_bytes.200lines${suffix}`, linesRun.bulkBytes, "bytes");
  figure(`function.instructions.200lines.wasmtime46${suffix}`, linesRun.instructions + linesRun.bulkBytes, "instructions");
  over(`function.input.200lines${suffix}`, Math.max(linesRun.inputBytes, delivery.inputBytes), 56_000, "budget");
  over(`function.output.200lines${suffix}`, linesRun.outputBytes, 20_000, "budget");
  if (!suffix) {
    const operations = (linesRun.output as { operations?: { productDiscountsAdd?: { candidates: { targets: unknown[] }[] } }[] }).operations ?? [];
    const discounted = operations.flatMap((o) => o.productDiscountsAdd?.candidates ?? []).reduce((n, c) => n + c.targets.length, 0);
    if (discounted < 20) throw new Error(`the 200-line cart should earn many discounts, got ${discounted} discounted lines`);
    figure("function.discounted_lines.200lines", discounted, "lines");
    // The largest output a 200-line cart can ask for: every line discounted, each at a
    // different price (a quantity break on every product, two units per line).
    const every: Ruleset = {
      ...ruleset,
      offers: [{ id: "all", kind: "quantity_break", title: "Volume discount", tiers: [{ quantity: 2, discount: { kind: "percent", value: 10 } }] }],
    };
    const worst = inputRoot(
      lines.map((l, i) => ({ ...l, quantity: 2, offer: undefined, unit: 1000 + 37 * i })),
      planOf(every),
    );
    // Run without the limits: this figure is what says whether Shopify would take it.
    const worstRun = runFunction(module, TARGET_EXPORTS[LINES], Buffer.from(JSON.stringify(runInputQuery(LINES, worst, VARIABLES))));
    if (worstRun.error) throw new Error(`the worst-case run failed: ${worstRun.error}`);
    figure("function.output.200lines.worst", worstRun.output.length, "bytes");
    figure("function.instructions.200lines.worst", worstRun.instructions, "instructions");
    over("function.output.200lines.worst", worstRun.output.length, FUNCTION_LIMITS.outputBytes, "Shopify's output limit: Shopify would drop this result");
  }
}

console.log(
  `# budgets: function.instructions.200lines ≤ 2,000,000 (aim 1,000,000; Shopify's limit ${FUNCTION_LIMITS.instructions.toLocaleString("en")} up to ${FUNCTION_LIMITS.lines} lines), ` +
    `function.input.200lines ≤ 56,000 bytes (Shopify ${FUNCTION_LIMITS.inputBytes.toLocaleString("en")}), ` +
    `function.output.200lines ≤ 20,000 bytes (Shopify ${FUNCTION_LIMITS.outputBytes.toLocaleString("en")}), ` +
    `function.wasm.size ≤ ${FUNCTION_LIMITS.moduleBytes.toLocaleString("en")} bytes, checkout.extension.gzip ≤ 16,384 bytes`,
);
for (const line of missed) console.log(line);
console.log("# instructions: wasmtime 39 fuel as Shopify's function-runner 9.2.1 reports it, counted by localshop/function-runner/meter.ts");
