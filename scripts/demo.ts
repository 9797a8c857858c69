// `npm run demo`: the whole app on its embedded defaults, against the local shop. Prepares
// the embedded database, seeds the demo shop, serves the admin, and prints the URLs.
import { startServer } from "../server";
import { LOCAL_SHOP_DOMAIN } from "../app/local-shop.server";

const startedAt = Date.now();
const port = Number(process.env.PORT ?? 3000);
// The admin as production serves it (built by `predemo`), unless someone is working on it.
const admin = process.env.CARTLIFT_DEMO_VITE === "1" ? "vite" : "built";
const running = await startServer({ port, localShop: true, admin });

// A new demo shop starts with a few offers, made through the merchant's own path (not in
// the end-to-end tests, which need a shop with none: CARTLIFT_DEMO_OFFERS=0).
const seeded = process.env.CARTLIFT_DEMO_OFFERS === "0" ? 0 : await (await import("./demo-offers")).seedDemoOffers();

// A clearly labelled 60-day analytics history for the demo shop, so the analytics page shows
// something on first run (with the demo offers; CARTLIFT_DEMO_HISTORY=0: none).
const history = seeded && process.env.CARTLIFT_DEMO_HISTORY !== "0" ? await (await import("./demo-history")).seedDemoHistory() : null;

// Cartlift's web pixel, activated on the demo shop as an install would (afterAuth): the local
// storefront and checkout then load it in their sandbox, sending offer events to this app.
{
  const { authenticateAdmin } = await import("../app/shopify.server");
  const { connectWebPixel } = await import("../app/analytics/web-pixel.server");
  const { admin } = await authenticateAdmin(new Request(`${running.appUrl}/app`));
  const pixel = await connectWebPixel(admin, running.appUrl);
  if (pixel.status == "failed") console.warn(`The web pixel was not activated: ${pixel.message}`);
}

// With Vite, warm the admin once so the first page a person opens is quicker (Vite compiles
// on demand). The built admin needs no warming.
if (admin == "vite") await fetch(`${running.appUrl}/app`, { headers: { "user-agent": "Mozilla/5.0 (Cartlift demo warm-up)" } }).catch(() => undefined);

const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
console.log(`
Cartlift demo is ready (${seconds} s, ${running.databaseKind} database${seeded ? `, ${seeded} demo offers published` : ""}${history ? `, a demo history of ${history.orders} orders and ${history.events} events` : ""})
  Admin      ${running.appUrl}/app   (shop ${LOCAL_SHOP_DOMAIN}, no login needed)
  Local shop ${running.localShopUrl}   (Admin API double)
  Storefront ${running.localShopUrl}/   (a Dawn-like theme with Cartlift's app embed and blocks)
  Checkout   ${running.localShopUrl}/cart/2001:1   (a cart permalink → the local checkout; or your storefront cart's /checkout)
Press Ctrl+C to stop.`);

const stop = () => running.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
