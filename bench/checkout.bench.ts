// Checkout benchmark: the checkout extension's bundle size (one bundle for all its targets,
// built as Shopify CLI builds it), and the discount function's module, input and output sizes
// on a 200-line cart with a configuration near the limit the publisher allows.
// One figure per line:  figure <name> <value> <unit>
// Budgets: checkout.extension.gzip ≤ 16,384 bytes (Shopify's hard limit is 64 KB); the
// function's input ≤ 56,000 bytes (Shopify: 64,000), output ≤ 20,000 bytes.
import { statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import type { Offer } from "../app/engine";
import { DISCOUNT_CONFIGURATION_LIMIT_BYTES } from "../app/offers/metafields";
import { runInputQuery, type DiscountTarget } from "../localshop/checkout/function-input";
import { FUNCTION_WASM, reusableRunner } from "../localshop/checkout/wasm-function";
import { CHECKOUT_EXTENSION_DIR, checkoutEntry } from "../scripts/build-checkout";
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
// The demo offers plus cross-sells on synthetic products until the configuration (the
// discount plan) is close to the limit the publisher allows itself.
function configuration() {
  const base = demoRuleset({ shop: { freeShipping: { amount: 7500, amounts: { EUR: 6900 } } } });
  // One limited-time offer ending on the benchmark's date: the function then evaluates at
  // three moments (see planMoments in app/engine/plan.ts).
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
figure("function.configuration.offers", config.o.length, "offers");

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
    const offer = config.o.find((o) => o.i == `x${i}`);
    if (offer && lines.length < 190) {
      const parent = String(8_012_345_600_000 + 2 * i);
      const addOn = offer.p![0];
      lines.push({ variantId: `4${parent}`, productId: parent, unit: 2500 + i, quantity: 1, vendor: "Northfield Leather", productType: "Accessory" });
      lines.push({ variantId: `4${addOn}`, productId: addOn, unit: 900 + i, quantity: 1 + (i % 3), offer: offer.i, vendor: "Aurora Mobile", productType: "Phone Case" });
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

// ---- the function: the built WebAssembly module --------------------------------------------
figure("function.wasm", statSync(FUNCTION_WASM).size, "bytes");
const run = reusableRunner();
function output(target: DiscountTarget, json: string): { operations: unknown[] } {
  const result = run(target, json);
  if (!result.ok) throw new Error(`the function failed: ${result.error}`);
  return result.output as { operations: unknown[] };
}

// Shopify also caps a function's output (about 20 KB): what this cart produces, and a worst
// case, 200 single-unit lines each earning a different amount (a quantity break on all lines).
const linesOutput = output("cart.lines.discounts.generate.run", linesJson);
const candidates = (linesOutput.operations[0] as { productDiscountsAdd?: { candidates: unknown[] } })?.productDiscountsAdd?.candidates.length ?? 0;
if (candidates < 20) throw new Error(`the 200-line cart should earn many discounts, got ${candidates}`);
figure("function.output.200lines", JSON.stringify(linesOutput).length, "bytes");
figure("function.run.200lines.discounted_lines", candidates, "lines");
{
  const worst = structuredClone(root);
  const { discountConfiguration } = await import("../app/offers/ruleset");
  const all = discountConfiguration({ ...demoRuleset(), offers: [{ id: "all", kind: "quantity_break", title: "Volume discount", tiers: [{ quantity: 2, discount: { kind: "percent", value: 10 } }] }] });
  if (!all.ok) throw new Error("invalid worst-case ruleset");
  worst.discount.metafield.jsonValue = all.plan as never;
  worst.cart.lines.forEach((l, i) => {
    l.quantity = 1;
    l.cost.amountPerQuantity.amount = (10 + i * 0.37).toFixed(2);
  });
  const json = JSON.stringify(runInputQuery("cart.lines.discounts.generate.run", worst));
  figure("function.output.200lines.worst", JSON.stringify(output("cart.lines.discounts.generate.run", json)).length, "bytes");
}
