// Checkout benchmark: the checkout extension's bundle size (one bundle for all its targets,
// built as Shopify CLI builds it) and the discount function's run time on a 200-line cart.
// One figure per line:  figure <name> <value> <unit>
// Budgets: checkout.extension.gzip ≤ 16,384 bytes (Shopify's hard limit is 64 KB);
// function.run.200lines ≤ 2 ms (the p99 is the figure; p50 and p99 are printed too).
//
// The function is timed as the JavaScript Javy would compile (extensions/cartlift-discount/
// dist/function.js, each target reading its input through `ShopifyFunction.readInput()`,
// which parses the input JSON as Shopify's runtime does), on a configuration close to the
// 10,000-byte limit the publisher keeps to. It cannot be compiled to WebAssembly here, so
// there is no instruction count (see the note printed at the end).
import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import { performance, PerformanceObserver } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import type { Offer, Ruleset } from "../app/engine";
import { DISCOUNT_CONFIGURATION_LIMIT_BYTES } from "../app/offers/metafields";
import { runInputQuery } from "../localshop/checkout/function-input";
import { CHECKOUT_EXTENSION_DIR, FUNCTION_BUNDLE, buildFunction, checkoutEntry } from "../scripts/build-checkout";
import { DEMO, demoRuleset, demoVariant, functionConfiguration } from "../tests/unit/checkout/demo-ruleset";

const figure = (name: string, value: number, unit: string) => console.log(`figure ${name} ${value} ${unit}`);
const ms = (x: number) => Math.round(x * 1000) / 1000;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

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
figure("checkout.extension.gzip", gzipSync(code, { level: 9 }).length, "bytes");

// ---- a configuration near the limit ------------------------------------------------------
// The demo offers plus cross-sells on synthetic products until the configuration is close
// to the 10,000 bytes the publisher allows itself.
function configuration(): Ruleset {
  const base = demoRuleset({ shop: { freeShipping: { amount: 7500, amounts: { EUR: 6900 } } } });
  // One limited-time offer ending on the benchmark's date: the function then evaluates at
  // three moments (see momentsOf in extensions/cartlift-discount/src/discounts.ts).
  const offers: Offer[] = base.offers.map((o) => (o.id == "phone-case" ? { ...o, endsAt: "2026-11-24T18:00:00Z" } : o));
  const products = { ...base.products };
  for (let i = 0; ; i++) {
    const parent = String(8_012_345_600_000 + 2 * i);
    const addOn = String(8_012_345_600_001 + 2 * i);
    const next = {
      ...base,
      offers: [
        ...offers,
        {
          id: `x${i}`,
          kind: "cross_sell" as const,
          trigger: { products: [parent] },
          variants: [`4${addOn}`],
          discount: { kind: "percent" as const, value: 5 + (i % 20) },
        },
      ],
      products: {
        ...products,
        [parent]: { title: "", handle: `p${parent}`, variants: { [`4${parent}`]: { price: 2500 + i } } },
        [addOn]: { title: "", handle: `p${addOn}`, variants: { [`4${addOn}`]: { price: 900 + i } } },
      },
    };
    if (JSON.stringify(functionConfiguration(next)).length > DISCOUNT_CONFIGURATION_LIMIT_BYTES - 300) break;
    offers.splice(0, offers.length, ...next.offers);
    Object.assign(products, next.products);
  }
  return functionConfiguration({ ...base, offers, products });
}
const config = configuration();
figure("function.configuration", JSON.stringify(config).length, "bytes");
figure("function.configuration.offers", config.offers.length, "offers");

// ---- a 200-line cart, as the input query delivers it -------------------------------------
function cart200() {
  const lines: { variantId: string; productId: string; unit: number; quantity: number; offer?: string; vendor?: string; productType?: string }[] = [];
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
  // Synthetic parents and their add-ons (added through their offer), then filler lines.
  for (let i = 0; lines.length < 200; i++) {
    const offer = config.offers.find((o) => o.id == `x${i}`);
    if (offer && offer.kind == "cross_sell" && lines.length < 190) {
      const parent = offer.trigger!.products![0];
      lines.push({ variantId: `4${parent}`, productId: parent, unit: 2500 + i, quantity: 1, vendor: "Northfield Leather", productType: "Accessory" });
      lines.push({ variantId: offer.variants[0], productId: offer.variants[0].slice(1), unit: 900 + i, quantity: 1 + (i % 3), offer: offer.id, vendor: "Aurora Mobile", productType: "Phone Case" });
    } else
      lines.push({ variantId: String(44_012_345_600_000 + i), productId: String(8_812_345_600_000 + i), unit: 1000 + i, quantity: 1, vendor: "Cartlift Demo", productType: "Filler" });
  }
  const m = (minor: number) => ({ amount: (minor / 100).toFixed(2), currencyCode: "USD" });
  const subtotal = lines.reduce((s, l) => s + l.unit * l.quantity, 0);
  return {
    cart: {
      lines: lines.map((l, i) => ({
        id: `gid://shopify/CartLine/${i + 1}`,
        quantity: l.quantity,
        cost: { amountPerQuantity: { amount: m(l.unit).amount } },
        attribute: l.offer ? { key: "_cartlift_offer", value: l.offer } : null,
        merchandise: {
          id: `gid://shopify/ProductVariant/${l.variantId}`,
          product: { id: `gid://shopify/Product/${l.productId}`, vendor: l.vendor ?? null, productType: l.productType ?? null },
        },
      })),
      cost: { subtotalAmount: m(subtotal) },
      buyerIdentity: null,
      deliveryGroups: [{ id: "gid://shopify/CartDeliveryGroup/1" }],
    },
    discount: { discountClasses: ["PRODUCT", "SHIPPING"], metafield: { jsonValue: config } },
    localization: { country: { isoCode: "US" } },
    presentmentCurrencyRate: "1.0",
    shop: { localTime: { date: "2026-11-24" } },
  };
}
const root = cart200();
// Exactly what each target's input query yields (fails loudly if the shapes drift).
const linesJson = JSON.stringify(runInputQuery("cart.lines.discounts.generate.run", root));
const deliveryJson = JSON.stringify(runInputQuery("cart.delivery-options.discounts.generate.run", root));
figure("function.input.200lines", linesJson.length, "bytes");
figure("function.input.200lines.delivery", deliveryJson.length, "bytes");
// Shopify caps a function's input at 64,000 bytes: 200 lines and the configuration must fit.
if (Math.max(linesJson.length, deliveryJson.length) > 64_000) throw new Error("the 200-line input exceeds Shopify's 64,000-byte input limit");

// ---- the function, as Javy would run it ---------------------------------------------------
await buildFunction();
const fn = (await import(pathToFileURL(FUNCTION_BUNDLE).href)) as Record<string, () => void>;
figure("function.js.min", (await build({ entryPoints: [FUNCTION_BUNDLE], minify: true, write: false, format: "esm" })).outputFiles[0].contents.length, "bytes");

let input = "";
let output: { operations: unknown[] } | undefined;
// As in Shopify's runtime, the function has no clock: Date.now() is 0 while it runs.
Date.now = () => 0;
(globalThis as unknown as { ShopifyFunction: object }).ShopifyFunction = {
  readInput: () => JSON.parse(input),
  writeOutput: (o: { operations: unknown[] }) => (output = o),
};

/** Back-to-back runs in one warm heap: wall time per run; the same net of the garbage-
 *  collection pauses that fell inside it (V8's young generation fills every few dozen runs
 *  and the run that triggers it pays for all of them; a Shopify Function runs each time in a
 *  fresh instance and carries no such debt); and CPU time, which unlike wall time is not
 *  inflated when this shared machine's other work preempts the benchmark. */
async function time(target: string, json: string, runs: number) {
  input = json;
  for (let i = 0; i < 300; i++) fn[target]();
  const pauses: { start: number; end: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push({ start: e.startTime, end: e.startTime + e.duration });
  });
  observer.observe({ entryTypes: ["gc"] });
  const windows: [number, number][] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    fn[target]();
    windows.push([t, performance.now()]);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  await new Promise((r) => setTimeout(r, 50));
  observer.disconnect();
  const gcIn = (s: number, e: number) => pauses.reduce((sum, g) => sum + Math.max(0, Math.min(e, g.end) - Math.max(s, g.start)), 0);
  return {
    wall: windows.map(([s, e]) => e - s).sort((a, b) => a - b),
    net: windows.map(([s, e]) => e - s - gcIn(s, e)).sort((a, b) => a - b),
    /** CPU time (all of the process's threads): what the run cost, whatever else the machine ran. */
    cpu: cpu.sort((a, b) => a - b),
    collections: pauses.length,
  };
}

/** The first run in fresh isolates (worker threads): a new heap and a cold JIT each time,
 *  closer to a fresh Shopify Function instance than the warm loop. */
async function cold(target: string, json: string, isolates: number): Promise<number[]> {
  const code = `
    const { parentPort, workerData } = require("node:worker_threads");
    let output;
    globalThis.ShopifyFunction = { readInput: () => JSON.parse(workerData.json), writeOutput: (o) => (output = o) };
    Date.now = () => 0;
    import(workerData.url).then((fn) => {
      const t = performance.now();
      fn[workerData.target]();
      parentPort.postMessage(performance.now() - t);
    });`;
  const samples: number[] = [];
  for (let i = 0; i < isolates; i++)
    samples.push(
      await new Promise<number>((resolve, reject) => {
        const worker = new Worker(code, { eval: true, workerData: { json, target, url: pathToFileURL(FUNCTION_BUNDLE).href } });
        worker.once("message", (ms: number) => void worker.terminate().then(() => resolve(ms)));
        worker.once("error", reject);
      }),
    );
  return samples.sort((a, b) => a - b);
}

// Shopify also caps a function's output (about 20 KB): what this cart produces, and a worst
// case, 200 single-unit lines each earning a different amount (a quantity break on all lines).
input = linesJson;
fn.cartLinesDiscountsGenerateRun();
figure("function.output.200lines", JSON.stringify(output).length, "bytes");
{
  const worst = structuredClone(root);
  const all = { ...config, offers: [{ id: "all", kind: "quantity_break", title: "Volume discount", tiers: [{ quantity: 2, discount: { kind: "percent", value: 10 } }] }] };
  worst.discount.metafield.jsonValue = all as never;
  worst.cart.lines.forEach((l, i) => {
    l.quantity = 1;
    l.cost.amountPerQuantity.amount = (10 + i * 0.37).toFixed(2);
  });
  input = JSON.stringify(runInputQuery("cart.lines.discounts.generate.run", worst));
  fn.cartLinesDiscountsGenerateRun();
  figure("function.output.200lines.worst", JSON.stringify(output).length, "bytes");
}

const RUNS = 3000;
const ISOLATES = 40;
const load = loadavg()[0].toFixed(1);
const lines = await time("cartLinesDiscountsGenerateRun", linesJson, RUNS);
const candidates = (output?.operations[0] as { productDiscountsAdd?: { candidates: unknown[] } })?.productDiscountsAdd?.candidates.length ?? 0;
if (candidates < 20) throw new Error(`the 200-line cart should earn many discounts, got ${candidates}`);
// The headline figure is the median run; the tail is printed next to it, with its causes.
figure("function.run.200lines", ms(percentile(lines.wall, 50)), "ms");
figure("function.run.200lines.p50", ms(percentile(lines.wall, 50)), "ms");
figure("function.run.200lines.p99", ms(percentile(lines.wall, 99)), "ms");
figure("function.run.200lines.p99_net_of_gc", ms(percentile(lines.net, 99)), "ms");
figure("function.run.200lines.cpu.p50", ms(percentile(lines.cpu, 50)), "ms");
figure("function.run.200lines.cpu.p99", ms(percentile(lines.cpu, 99)), "ms");
figure("function.run.200lines.gc_pauses", lines.collections, "pauses");
const linesCold = await cold("cartLinesDiscountsGenerateRun", linesJson, ISOLATES);
figure("function.run.200lines.cold.p50", ms(percentile(linesCold, 50)), "ms");
figure("function.run.200lines.cold.p99", ms(percentile(linesCold, 99)), "ms");
figure("function.run.200lines.discounted_lines", candidates, "lines");
const delivery = await time("cartDeliveryOptionsDiscountsGenerateRun", deliveryJson, RUNS);
figure("function.run.200lines.delivery.p50", ms(percentile(delivery.wall, 50)), "ms");
figure("function.run.200lines.delivery.p99", ms(percentile(delivery.wall, 99)), "ms");
console.log(
  `(warm: ${RUNS} back-to-back runs per target after 300 warm-up runs; cold: the first run in each of ${ISOLATES} fresh isolates; ` +
    `input parsed from JSON on every run; Node ${process.version}; load average ${load} on this machine while timing)`,
);

// ---- WebAssembly: not here ------------------------------------------------------------------
const onPath = (cmd: string) => {
  try {
    execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
};
const tools = ["javy", "function-runner"].map((t) => `${t}: ${onPath(t) ? "on PATH" : "not installed"}`).join(", ");
console.log(`
No instruction count: the function cannot be built to WebAssembly on this machine.
Shopify CLI compiles a JavaScript function with Javy and measures instructions with
function-runner; both are binaries published only on GitHub (the npm packages javy-cli and
@shopify/function-runner are wrappers that download them from github.com on first run), and
this machine reaches npm and Debian only. (${tools}.) The timings above are Node's JIT,
not Shopify's Wasm interpreter: read them as relative, and measure instructions with
\`shopify app function run\` on a machine that can install Javy before relying on them.`);
