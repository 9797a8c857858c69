// Storefront benchmark: what Cartlift costs a shop's storefront, measured in Chromium on
// the local shop with the demo offers published. It builds the extensions, starts the demo
// (`scripts/demo.ts`) on spare ports with an in-memory database, measures, and stops it.
// One figure per line, `figure <name> <value> <unit>`:
//   storefront.js.pageview / .css.pageview    Cartlift's JS / CSS on a product page view
//                                              (gzip -9 of what the browser fetched; the
//                                              inline configuration is HTML, reported apart)
//   storefront.js.pageview.mobile             the same on a phone (the burger's bundle page)
//   storefront.js.pageview.cart_converted     a EUR cart page, whose bar's threshold is a
//                                              converted one (the loader completes the bar)
//   storefront.js.interaction / .css.…        what the first interaction adds (the engine)
//   storefront.app_requests.pageview          requests to Cartlift's app origin during the product
//                                              page view, the web pixel's included (budget 0)
//   storefront.pixel_batches                  the web pixel's event batches after the interaction
//                                              and the add (from its sandbox, not the page's code)
//   storefront.app_requests                   other requests to Cartlift's app origin (page view,
//                                              interaction, add to cart, cart page)
//   storefront.cls                            the worst cumulative layout shift over the
//                                              product page (view, interaction) and the cart page
//   storefront.cls.<case>                     each case's own (product view, after
//                                              interaction, after add to cart, cart view and
//                                              interaction, the phone's bundle page, a
//                                              product page with a cart on a desktop and
//                                              on a 390 px phone, view and interaction)
//   storefront.longtasks.* / longtask_ms.*    long tasks (> 50 ms) at 4× CPU slowdown, on page
//                                              view and on interaction (median of runs), and
//                                              the same without the app (`.without`)
//   storefront.popup_ms                       add-to-cart click → pop-up open (4× CPU slowdown),
//   storefront.popup_ms.cartlift              of which Cartlift's share: the theme's add done → open
//   storefront.lighthouse.with / .without     Lighthouse performance of the product page with
//   storefront.lighthouse_drop                and without the app (median of runs, alternated)
// Budgets: JS on page view ≤ 6,144 bytes, 0 requests, CLS 0, a drop of at most 1 point.
import { chromium, type Browser, type Page, type Response } from "@playwright/test";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { buildDemoRuleset, demoIds, publishStorefrontRuleset } from "../localshop/storefront/demo-ruleset";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROME_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const LIGHTHOUSE_RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 5);
const CPU_SLOWDOWN = 4;
const TASK_RUNS = Number(process.env.TASK_RUNS ?? 5);
const demoVariant = (sku: string) => demoIds().variant(sku);

const figure = (name: string, value: number, unit: string) => console.log(`figure ${name} ${value} ${unit}`);
const note = (text: string) => console.log(`# ${text}`);

// ---- the demo on spare ports ---------------------------------------------------------------

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createServer().once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });

async function sparePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    // The demo uses PORT, PORT + 1 (the local shop) and PORT + 1000 (Vite's HMR socket).
    if ((await portFree(port)) && (await portFree(port + 1)) && (await portFree(port + 1000))) return port;
  }
  throw new Error("no spare port");
}

async function startDemo(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/demo.ts"], {
    env: { ...process.env, PORT: String(port), CARTLIFT_DATA_DIR: "memory" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not start:\n${output}`)), 180_000);
    const onData = (d: Buffer) => {
      output += d;
      if (output.includes("Cartlift demo is ready")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (d) => (output += d));
    child.once("exit", (code) => reject(new Error(`demo exited (${code}):\n${output}`)));
  });
  child.removeAllListeners("exit");
  return child;
}

function stopDemo(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, "SIGTERM"); // its own process group: the demo and nothing else
  } catch {
    // already gone
  }
}

// ---- measuring a page ------------------------------------------------------------------------

interface Fetched {
  url: string;
  type: string;
  gzip: number;
}

/** Records what the page fetches from now on (gzip -9 of each body). */
function recorder(page: Page) {
  const fetched: Fetched[] = [];
  const pending: Promise<void>[] = [];
  const all: string[] = [];
  page.on("request", (r) => all.push(r.url()));
  page.on("response", (res: Response) => {
    pending.push(
      res
        .body()
        .then((body) => void fetched.push({ url: res.url(), type: res.request().resourceType(), gzip: gzipSync(body, { level: 9 }).length }))
        .catch(() => undefined),
    );
  });
  return {
    fetched,
    requests: all,
    settle: () => Promise.all(pending.splice(0)),
    mark: () => ({ fetched: fetched.length, requests: all.length }),
  };
}

const isCartlift = (url: string) => /\/cdn\/shop\/extensions\/[^/]+\/assets\//.test(url);
const bytes = (list: Fetched[], ext: "js" | "css") => list.filter((f) => isCartlift(f.url) && new URL(f.url).pathname.endsWith("." + ext)).reduce((s, f) => s + f.gzip, 0);

/** Layout shifts and long tasks, collected from the first moment of every document. */
const OBSERVERS = () => {
  const w = window as any;
  w.__shifts = [];
  w.__longtasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as any[]) w.__shifts.push({ t: e.startTime, value: e.value, input: e.hadRecentInput, sources: (e.sources || []).map((s: any) => s.node?.className || s.node?.nodeName || "?") });
  }).observe({ type: "layout-shift", buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__longtasks.push({ t: e.startTime, d: e.duration });
  }).observe({ type: "longtask", buffered: true });
};

/** CLS as web-vitals defines it: the largest session window of shifts without recent input. */
function cls(shifts: { t: number; value: number; input: boolean }[]): number {
  let best = 0;
  let current = 0;
  let first = -Infinity;
  let last = -Infinity;
  for (const s of shifts.filter((x) => !x.input)) {
    if (s.t - last > 1000 || s.t - first > 5000) {
      current = 0;
      first = s.t;
    }
    current += s.value;
    last = s.t;
    best = Math.max(best, current);
  }
  return best;
}

const readMetrics = (page: Page) => page.evaluate(() => ({ shifts: (window as any).__shifts as any[], longtasks: (window as any).__longtasks as { t: number; d: number }[] }));

async function quiet(page: Page, ms = 1500) {
  await page.waitForLoadState("load");
  await page.waitForTimeout(ms);
}

// ---- Lighthouse --------------------------------------------------------------------------------

function lighthouse(url: string): number {
  const dir = mkdtempSync(join(tmpdir(), "cartlift-lh-"));
  const out = join(dir, "report.json");
  const run = spawnSync(
    "node_modules/.bin/lighthouse",
    [url, "--only-categories=performance", "--output=json", `--output-path=${out}`, "--quiet", `--chrome-flags=--headless=new ${CHROME_FLAGS.join(" ")}`],
    { env: { ...process.env, CHROME_PATH: CHROMIUM }, encoding: "utf8", timeout: 180_000 },
  );
  try {
    const report = JSON.parse(readFileSync(out, "utf8"));
    return Math.round(report.categories.performance.score * 100);
  } catch {
    throw new Error(`lighthouse failed: ${run.stderr?.slice(-2000)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// ---- the run -----------------------------------------------------------------------------------

async function main() {
  const build = spawnSync(process.execPath, ["--import", "tsx", "scripts/build-extensions.ts"], { stdio: "inherit" });
  if (build.status) throw new Error("extension build failed");
  const port = await sparePort();
  const demo = await startDemo(port);
  const appOrigin = `http://localhost:${port}`;
  const shop = `http://127.0.0.1:${port + 1}`;
  let browser: Browser | undefined;
  try {
    await publishStorefrontRuleset(shop, buildDemoRuleset());
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROME_FLAGS });

    // 1. A product page view, then the shopper's first interaction, then add to cart.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(OBSERVERS);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
    const rec = recorder(page);
    await page.goto(`${shop}/products/aurora-phone`);
    await quiet(page, 3000);
    await rec.settle();
    const viewMark = rec.mark();
    const pageView = rec.fetched.slice(0, viewMark.fetched);
    const viewMetrics = await readMetrics(page);

    await page.mouse.move(10, 10);
    await page.mouse.move(40, 60);
    await page.waitForSelector('[data-cartlift-mount="product"][data-rendered]');
    await quiet(page, 1000);
    await rec.settle();
    const interaction = rec.fetched.slice(viewMark.fetched);
    const afterInteraction = await readMetrics(page);

    // Timed in the page: the click, the theme's add settling (its event's promise), the
    // pop-up open.
    await page.evaluate(() => {
      const w = window as any;
      document.addEventListener("click", () => (w.__clicked = performance.now()), { capture: true, once: true });
      document.addEventListener("shopify:cart:lines-update", (e: any) => e.promise.then(() => (w.__settled = performance.now())), { once: true });
      new MutationObserver(() => {
        if (!w.__shown && (document.querySelector("dialog.cartlift-popup") as HTMLDialogElement | null)?.open) w.__shown = performance.now();
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await page.getByRole("button", { name: "Add to cart", exact: true }).click();
    await page.getByRole("dialog", { name: "Added to your cart" }).waitFor();
    const popup = await page.evaluate(() => {
      const w = window as any;
      return { total: w.__shown - w.__clicked, ours: w.__shown - w.__settled };
    });
    await quiet(page, 1000);
    const afterAdd = await readMetrics(page);

    // 2. The cart page (a page view with items, then an interaction).
    await page.keyboard.press("Escape");
    await page.goto(`${shop}/cart`);
    await quiet(page, 2000);
    const cartMetrics = await readMetrics(page);
    await page.mouse.move(10, 10);
    await page.mouse.move(50, 80);
    await page.waitForSelector('[data-cartlift-mount="cart"][data-rendered]');
    await quiet(page, 1000);
    const cartAfter = await readMetrics(page);
    await rec.settle();

    // 3. The other pages a shopper sees: home, a product with a bundle (page view only).
    const other = await browser.newContext({ viewport: { width: 412, height: 915 }, isMobile: true, hasTouch: true });
    await other.addInitScript(OBSERVERS);
    const phone = await other.newPage();
    const phoneRec = recorder(phone);
    await phone.goto(`${shop}/products/classic-burger`);
    await quiet(phone, 2000);
    await phoneRec.settle();
    const mobilePageView = phoneRec.fetched.slice(0, phoneRec.mark().fetched);
    const mobileView = await readMetrics(phone);
    await phone.touchscreen.tap(200, 400);
    await phone.waitForSelector('[data-cartlift-mount="product"][data-rendered]');
    await phone.mouse.wheel(0, 600);
    await quiet(phone, 1000);
    const mobileAfter = await readMetrics(phone);
    await phoneRec.settle();

    // 3b. A product page with a cart (the burger's, a phone in the cart: the meal deal, the
    //     phone's upgrade and accessories), on a desktop and on a 390 px phone. Woken by a
    //     pointer move or a scroll, neither of which excuses a layout shift.
    const withCart = async (viewport: { width: number; height: number }, mobile: boolean) => {
      const ctx = await browser!.newContext({ viewport, isMobile: mobile, hasTouch: mobile });
      await ctx.addInitScript(OBSERVERS);
      const p = await ctx.newPage();
      await p.request.post(`${shop}/cart/add.js`, { data: { id: Number(demoVariant("AUR-PH-64")), quantity: 1 } });
      await p.goto(`${shop}/products/classic-burger`);
      await quiet(p, 2000);
      const view = await readMetrics(p);
      if (mobile) await p.mouse.wheel(0, 400);
      else {
        await p.mouse.move(10, 10);
        await p.mouse.move(40, 60);
      }
      await p.waitForSelector('[data-cartlift-mount="product"][data-rendered]');
      await quiet(p, 1000);
      const after = await readMetrics(p);
      await ctx.close();
      return { view, after };
    };
    const desktopCart = await withCart({ width: 1280, height: 900 }, false);
    const mobileCart = await withCart({ width: 390, height: 844 }, true);

    // 4. A cart page in a currency whose threshold is converted (no explicit EUR amount):
    //    the loader completes the bar Liquid left pending, without the engine.
    const eur = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const eurPage = await eur.newPage();
    await eurPage.request.post(`${shop}/cart/add.js`, { data: { id: Number(demoVariant("VW-CHG-20")), quantity: 2 } });
    const eurRec = recorder(eurPage);
    await eurPage.goto(`${shop}/cart?currency=EUR`);
    await eurPage.waitForSelector("[data-cartlift-bar]:not([data-pending])");
    await quiet(eurPage, 1000);
    await eurRec.settle();

    const everything = [...rec.requests, ...phoneRec.requests, ...eurRec.requests];
    const pixelBatch = (u: string) => u == `${appOrigin}/api/events`;
    // The pixel's sandbox starts its worker from a blob: URL (the shop's own page, not a request out).
    const appRequests = everything.filter((u) => !u.startsWith("blob:") && !pixelBatch(u) && (u.startsWith(appOrigin) || !u.startsWith(shop))).length;
    const pageViewAppRequests = rec.requests.slice(0, viewMark.requests).filter((u) => u.startsWith(appOrigin)).length;
    const pageCls = {
      "product view": cls(viewMetrics.shifts),
      "product after interaction": cls(afterInteraction.shifts),
      "product after add to cart": cls(afterAdd.shifts),
      "cart view": cls(cartMetrics.shifts),
      "cart after interaction": cls(cartAfter.shifts),
      "mobile bundle page": cls(mobileAfter.shifts),
      "product with cart view": cls(desktopCart.view.shifts),
      "product with cart after interaction": cls(desktopCart.after.shifts),
      "mobile product with cart view": cls(mobileCart.view.shifts),
      "mobile product with cart after interaction": cls(mobileCart.after.shifts),
    };
    for (const [k, v] of Object.entries(pageCls)) note(`cls ${k}: ${v}`);
    for (const [k, m] of Object.entries({ "product view": viewMetrics, "product after interaction": afterInteraction, "product after add to cart": afterAdd, "cart view": cartMetrics, "cart after interaction": cartAfter, "mobile bundle page": mobileAfter, "product with cart": desktopCart.after, "mobile product with cart": mobileCart.after }))
      for (const shift of m.shifts) note(`layout shift (${k}) at ${Math.round(shift.t)} ms: ${shift.value.toFixed(5)}${shift.input ? " after input" : ""} from ${shift.sources.join(", ")}`);
    const viewLong = viewMetrics.longtasks;
    const interactionLong = afterInteraction.longtasks.slice(viewMetrics.longtasks.length);

    figure("storefront.js.pageview", bytes(pageView, "js"), "bytes");
    figure("storefront.css.pageview", bytes(pageView, "css"), "bytes");
    figure("storefront.js.interaction", bytes(interaction, "js"), "bytes");
    figure("storefront.css.interaction", bytes(interaction, "css"), "bytes");
    const html = await (await fetch(`${shop}/products/aurora-phone`)).text();
    const config = /<script type="application\/json" id="cartlift-config">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";
    figure("storefront.html.config", gzipSync(config, { level: 9 }).length, "bytes");
    figure("storefront.js.pageview.mobile", bytes(mobilePageView, "js"), "bytes");
    figure("storefront.js.pageview.cart_converted", bytes(eurRec.fetched, "js"), "bytes");
    figure("storefront.app_requests.pageview", pageViewAppRequests, "requests");
    figure("storefront.pixel_batches", everything.filter(pixelBatch).length, "requests");
    figure("storefront.app_requests", appRequests, "requests");
    figure("storefront.cls", Math.max(...Object.values(pageCls), cls(mobileView.shifts)), "score");
    // One figure per case (the worst above is the one with a budget).
    for (const [k, v] of Object.entries({ ...pageCls, "mobile bundle page view": cls(mobileView.shifts) })) figure(`storefront.cls.${k.replace(/ /g, "_")}`, v, "score");
    note(`long tasks in the measured run: page view ${viewLong.length}, interaction ${interactionLong.length}`);

    // Long tasks are noisy on a shared machine: the median of several fresh page views,
    // with the app and without it (the theme's own share).
    const taskRuns: Record<"with" | "without", { view: number[]; viewMs: number[]; interaction: number[]; interactionMs: number[] }> = {
      with: { view: [], viewMs: [], interaction: [], interactionMs: [] },
      without: { view: [], viewMs: [], interaction: [], interactionMs: [] },
    };
    for (let i = 0; i < TASK_RUNS; i++) {
      for (const mode of ["with", "without"] as const) {
        const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        await ctx.addInitScript(OBSERVERS);
        const p = await ctx.newPage();
        await (await ctx.newCDPSession(p)).send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
        await p.goto(`${shop}/products/aurora-phone${mode == "with" ? "" : "?apps=off"}`);
        await quiet(p, 2500);
        const view = (await readMetrics(p)).longtasks;
        await p.mouse.move(10, 10);
        await p.mouse.move(40, 60);
        if (mode == "with") await p.waitForSelector('[data-cartlift-mount="product"][data-rendered]');
        await quiet(p, 1500);
        const after = (await readMetrics(p)).longtasks.slice(view.length);
        const r = taskRuns[mode];
        r.view.push(view.length);
        r.viewMs.push(view.reduce((t, x) => t + x.d, 0));
        r.interaction.push(after.length);
        r.interactionMs.push(after.reduce((t, x) => t + x.d, 0));
        await ctx.close();
      }
    }
    for (const mode of ["with", "without"] as const) note(`long tasks ${mode} the app, per run: page view ${taskRuns[mode].view.join(" ")}; interaction ${taskRuns[mode].interaction.join(" ")}`);
    const suffix = { with: "", without: ".without" };
    for (const mode of ["with", "without"] as const) {
      figure(`storefront.longtasks.pageview${suffix[mode]}`, median(taskRuns[mode].view), "tasks");
      figure(`storefront.longtask_ms.pageview${suffix[mode]}`, Math.round(median(taskRuns[mode].viewMs)), "ms");
      figure(`storefront.longtasks.interaction${suffix[mode]}`, median(taskRuns[mode].interaction), "tasks");
      figure(`storefront.longtask_ms.interaction${suffix[mode]}`, Math.round(median(taskRuns[mode].interactionMs)), "ms");
    }
    figure("storefront.popup_ms", Math.round(popup.total), "ms");
    figure("storefront.popup_ms.cartlift", Math.round(popup.ours), "ms");
    await context.close();
    await other.close();
    await eur.close();
    await browser.close();
    browser = undefined;

    // 5. Lighthouse: the same product page with and without the app, alternated.
    const withApp: number[] = [];
    const without: number[] = [];
    for (let i = 0; i < LIGHTHOUSE_RUNS; i++) {
      withApp.push(lighthouse(`${shop}/products/aurora-phone`));
      without.push(lighthouse(`${shop}/products/aurora-phone?apps=off`));
    }
    note(`lighthouse with app: ${withApp.join(" ")}; without: ${without.join(" ")}`);
    figure("storefront.lighthouse.with", median(withApp), "points");
    figure("storefront.lighthouse.without", median(without), "points");
    figure("storefront.lighthouse_drop", Math.max(0, median(without) - median(withApp)), "points");
  } finally {
    await browser?.close();
    stopDemo(demo);
  }
}

await main();
process.exit(0);
