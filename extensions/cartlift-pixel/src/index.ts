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
    // fetch with keepalive outlives the page (Shopify's advice over the deprecated sendBeacon).
    send: (url, body) => fetch(url, { method: "POST", body, keepalive: true, headers: { "content-type": "text/plain" } }).then((r) => r.ok || r.status == 400 || r.status == 404),
    setTimer: (callback, ms) => setTimeout(callback, ms),
  });
});
