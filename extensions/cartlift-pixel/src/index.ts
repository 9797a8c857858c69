// Cartlift's app pixel (a web pixel extension in Shopify's strict sandbox: a web worker with
// no DOM). It forwards Cartlift's offer events to the app's ingest route; see pixel.ts.
import { register } from "@shopify/web-pixels-extension";
import { startPixel } from "./pixel";

register(({ analytics, browser, init, settings }) => {
  startPixel({
    settings: settings as { ingestUrl?: string },
    shop: init.data.shop.myshopifyDomain,
    subscribe: (name, callback) => analytics.subscribe(name, callback),
    storage: {
      getItem: (key) => browser.sessionStorage.getItem(key),
      setItem: (key, value) => browser.sessionStorage.setItem(key, value),
      removeItem: (key) => browser.sessionStorage.removeItem(key),
    },
    // A beacon, sent from the top frame (the pixel API runs `browser` methods there): the
    // browser delivers it even when the shopper leaves the page at once, which a fetch from
    // the sandbox's worker does not survive (Chromium aborts it with the worker). Where no
    // beacon can be queued, a keepalive fetch.
    send: async (url, body) =>
      (await browser.sendBeacon(url, body).catch(() => false)) ||
      fetch(url, { method: "POST", body, keepalive: true, headers: { "content-type": "text/plain" } }).then((r) => r.ok || r.status == 400 || r.status == 404),
    setTimer: (callback, ms) => setTimeout(callback, ms),
  });
});
