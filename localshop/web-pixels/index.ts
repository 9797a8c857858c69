// The local shop's web pixels: the inline boot every storefront and checkout page carries
// (`Shopify.analytics.publish` queueing until the manager runs, and the manager's
// configuration: the app pixel's settings from webPixelCreate and the consent it requires),
// and the manager, sandbox and worker scripts (manager.ts, sandbox.ts, worker.ts) with the
// pixel's bundle, served from the shop's origin as Shopify serves them from its own.
import { existsSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { PIXEL_BUNDLE, build as buildPixel } from "../../scripts/build-pixel";
import { PIXEL_EXTENSION_DIR, webPixelOf } from "../admin-api/web-pixels";
import { getShop, type LocalShopState } from "../state";

const here = dirname(fileURLToPath(import.meta.url));
const BASE = "/web-pixels";

/** `[customer_privacy]` of the pixel's toml: what the shopper must allow for it to load. */
export function pixelPrivacy(toml: string) {
  const section = /\[customer_privacy\]([\s\S]*?)(\n\[|$)/.exec(toml)?.[1] ?? "";
  const flag = (key: string) => new RegExp(`^\\s*${key}\\s*=\\s*true`, "m").test(section);
  return { analytics: flag("analytics"), marketing: flag("marketing"), preferences: flag("preferences"), sale_of_data: /sale_of_data\s*=\s*"(\w+)"/.exec(section)?.[1] ?? "enabled" };
}

/** The inline boot: a `<script>` for the page's head (before any theme or app script). */
export function webPixelsBoot(state: LocalShopState, origin: string, options: { apps?: boolean } = {}): string {
  const shop = getShop(state);
  // `?apps=off` (the storefront bench's page without Cartlift): no app pixel either.
  const pixel = options.apps === false ? null : webPixelOf(state);
  const config = {
    runtime: `${origin}${BASE}/worker.js`,
    sandbox: `${origin}${BASE}/sandbox.js`,
    shop: { name: shop.name, myshopifyDomain: shop.myshopifyDomain, countryCode: shop.countryCode, paymentSettings: { currencyCode: shop.currencyCode }, storefrontUrl: origin },
    pixels: pixel ? [{ id: pixel.id, src: `${origin}${BASE}/cartlift-pixel.js`, settings: pixel.settings, privacy: pixelPrivacy(readFileSync(join(PIXEL_EXTENSION_DIR, "shopify.extension.toml"), "utf8")) }] : [],
  };
  const json = JSON.stringify(config).replace(/</g, "\\u003c");
  return (
    `<script>var Shopify=window.Shopify||{};window.Shopify=Shopify;Shopify.analytics=Shopify.analytics||{_q:[],publish:function(n,d){this._q.push(["custom",n,d,new Date().toISOString()]);return true},publishStandard:function(n,d){this._q.push(["standard",n,d,new Date().toISOString()]);return true}};window.__localWebPixels=${json};</script>` +
    `<script src="${BASE}/manager.js" defer="defer"></script>`
  );
}

const scripts = new Map<string, Promise<string>>();
const bundled = (entry: string) => {
  let text = scripts.get(entry);
  if (!text) {
    text = build({ entryPoints: [join(here, entry)], bundle: true, write: false, format: "iife", target: "es2020", minify: true, logLevel: "error" }).then((r) => r.outputFiles[0].text);
    text.catch(() => scripts.delete(entry));
    scripts.set(entry, text);
  }
  return text;
};
let pixelBuild: Promise<void> | undefined;

/** Serves /web-pixels/*.js; false for any other path. */
export async function handleWebPixels(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const path = new URL(req.url ?? "/", "http://local").pathname;
  if (!path.startsWith(BASE + "/")) return false;
  const name = path.slice(BASE.length + 1);
  let body: string | undefined;
  if (name == "manager.js") body = await bundled("manager.ts");
  else if (name == "sandbox.js") body = await bundled("sandbox.ts");
  else if (name == "worker.js") body = await bundled("worker.ts");
  else if (name == "cartlift-pixel.js") {
    if (!existsSync(PIXEL_BUNDLE)) await (pixelBuild ??= buildPixel());
    body = readFileSync(PIXEL_BUNDLE, "utf8");
  }
  if (body === undefined) {
    res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
    return true;
  }
  // The sandbox's opaque origin loads these cross-origin.
  res.writeHead(200, { "content-type": "text/javascript; charset=utf-8", "access-control-allow-origin": "*", "cache-control": "no-cache" }).end(body);
  return true;
}
