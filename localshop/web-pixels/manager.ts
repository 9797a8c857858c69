// The local shop's web pixels manager, in the top frame of the storefront and the checkout,
// doing what Shopify's does for app pixels:
// - `Shopify.analytics.publish(name, data)` (custom events; the page's inline boot queues
//   calls made before this script runs) delivers events to the pixels as
//   `{ id, name, type: "custom", timestamp, clientId, seq, context, customData }`; the
//   checkout publishes Shopify's standard `checkout_started` / `checkout_completed`;
// - each app pixel runs in the strict sandbox (sandbox.ts: an opaque-origin iframe starting a
//   web worker, worker.ts), with its settings (the app's webPixelCreate), and only when the
//   shopper's consent covers what its toml's [customer_privacy] requires; events published
//   before it loads (or before consent is given) are replayed to it;
// - `browser.*` calls from the pixel run here, on the top frame's cookie and storage.
// Consent is the local shop's simple model: the `localshop_tracking_consent` cookie,
// "granted" (or absent: the demo's region asks no consent) or "denied";
// `Shopify.customerPrivacy.setTrackingConsent` changes it.
interface PixelConfig {
  id: string;
  src: string;
  settings: Record<string, string>;
  privacy: { analytics: boolean; marketing: boolean; preferences: boolean; sale_of_data: string };
}
interface ManagerConfig {
  runtime: string;
  sandbox: string;
  shop: Record<string, unknown>;
  pixels: PixelConfig[];
}

const w = window as any;
const config = w.__localWebPixels as ManagerConfig;
const CONSENT_COOKIE = "localshop_tracking_consent";
const events: any[] = [];
const sandboxes = new Map<Window, { pixel: PixelConfig; frame: HTMLIFrameElement; ready: boolean }>();
let seq = 0;
const clientId = (() => {
  try {
    return (localStorage.localshop_client_id ||= crypto.randomUUID());
  } catch {
    return "anonymous";
  }
})();

const readCookie = (name: string) => document.cookie.split("; ").find((c) => c.startsWith(name + "="))?.slice(name.length + 1);
const granted = () => readCookie(CONSENT_COOKIE) != "denied";
const privacyStatus = () => ({ analyticsProcessingAllowed: granted(), marketingAllowed: granted(), preferencesProcessingAllowed: granted(), saleOfDataAllowed: granted() });
const allowed = (p: PixelConfig) => {
  const s = privacyStatus();
  return (!p.privacy.analytics || s.analyticsProcessingAllowed) && (!p.privacy.marketing || s.marketingAllowed) && (!p.privacy.preferences || s.preferencesProcessingAllowed) && (p.privacy.sale_of_data != "enabled" || s.saleOfDataAllowed);
};

function context() {
  return {
    document: { location: { href: location.href, pathname: location.pathname, origin: location.origin, search: location.search }, referrer: document.referrer, title: document.title, characterSet: document.characterSet },
    navigator: { language: navigator.language, cookieEnabled: navigator.cookieEnabled, languages: [...navigator.languages], userAgent: navigator.userAgent },
    window: { innerHeight, innerWidth, outerHeight, outerWidth, pageXOffset, pageYOffset, location: { href: location.href, pathname: location.pathname, origin: location.origin }, origin: location.origin, screenX, screenY, scrollX, scrollY },
  };
}

function record(name: string, type: "custom" | "standard", data: unknown, timestamp = new Date().toISOString()) {
  const event = { id: `sh-${crypto.randomUUID()}`, name, type, timestamp, clientId, seq: seq++, context: context(), ...(type == "custom" ? { customData: data ?? null } : { data }) };
  events.push(event);
  if (events.length > 500) events.shift();
  for (const [win, f] of sandboxes) if (f.ready) win.postMessage({ type: "event", event }, "*");
}

function load(pixel: PixelConfig) {
  if ([...sandboxes.values()].some((f) => f.pixel.id == pixel.id)) return;
  const frame = document.createElement("iframe");
  frame.setAttribute("sandbox", "allow-scripts");
  frame.setAttribute("aria-hidden", "true");
  frame.tabIndex = -1;
  frame.title = "web pixel sandbox";
  frame.dataset.webPixel = pixel.id;
  frame.style.cssText = "position:absolute;width:1px;height:1px;left:-9999px;top:-9999px;border:0;visibility:hidden";
  const params = JSON.stringify({ runtime: config.runtime, src: pixel.src }).replace(/</g, "\\u003c");
  frame.srcdoc = `<!doctype html><script id="pixel-sandbox" type="application/json">${params}</script><script src="${config.sandbox}"></script>`;
  document.body.append(frame);
  sandboxes.set(frame.contentWindow!, { pixel, frame, ready: false });
}

async function browserCall(area: string, method: string, args: any[]): Promise<unknown> {
  if (area == "navigator" && method == "sendBeacon") return typeof args[0] == "string" && /^https?:/.test(args[0]) ? navigator.sendBeacon(args[0], args[1] ?? "") : false;
  if (area == "cookie") {
    if (method == "get") return args[0] ? (readCookie(args[0]) ?? "") : document.cookie;
    document.cookie = args[0] + (args[1] === undefined ? "" : "=" + args[1]);
    return document.cookie;
  }
  const store: Storage = area == "localStorage" ? localStorage : sessionStorage;
  if (method == "length") return store.length;
  return (store as any)[method](...args) ?? null;
}

addEventListener("message", async (e) => {
  const f = sandboxes.get(e.source as Window);
  const m = e.data;
  if (!f || !m?.__webPixel) return;
  const win = e.source as Window;
  if (m.type == "ready") {
    f.ready = true;
    f.frame.dataset.loaded = "true";
    win.postMessage({ type: "init", id: f.pixel.id, settings: f.pixel.settings, init: { context: context(), data: { customer: null, cart: null, shop: config.shop, purchasingCompany: null }, customerPrivacy: privacyStatus() } }, "*");
    for (const event of events) win.postMessage({ type: "event", event }, "*");
  } else if (m.type == "browser") {
    const value = await browserCall(m.area, m.method, m.args).catch(() => null);
    win.postMessage({ type: "browser-result", id: m.id, value }, "*");
  } else if (m.type == "error") console.error(`web pixel ${f.pixel.id}: ${m.message}`);
});

const loadAllowed = () => config.pixels.filter(allowed).forEach(load);

const queued: Array<[string, string, unknown, string]> = w.Shopify?.analytics?._q ?? [];
w.Shopify = w.Shopify || {};
w.Shopify.analytics = {
  publish(name: string, data?: unknown) {
    if (typeof name != "string" || !name) return false;
    record(name, "custom", data);
    return true;
  },
  /** Shopify's own standard events (the local checkout publishes them). */
  publishStandard(name: string, data: unknown) {
    record(name, "standard", data);
    return true;
  },
};
w.Shopify.customerPrivacy = {
  analyticsProcessingAllowed: () => granted(),
  marketingAllowed: () => granted(),
  preferencesProcessingAllowed: () => granted(),
  saleOfDataAllowed: () => granted(),
  currentVisitorConsent: () => ({ analytics: granted() ? "yes" : "no", marketing: granted() ? "yes" : "no", preferences: granted() ? "yes" : "no", sale_of_data: granted() ? "yes" : "no" }),
  setTrackingConsent(consent: { analytics?: boolean }, callback?: () => void) {
    document.cookie = `${CONSENT_COOKIE}=${consent.analytics === false ? "denied" : "granted"}; Path=/; SameSite=Lax`;
    for (const win of sandboxes.keys()) win.postMessage({ type: "privacy", name: "visitorConsentCollected", customerPrivacy: privacyStatus() }, "*");
    loadAllowed();
    callback?.();
  },
};
for (const [kind, name, data, timestamp] of queued) record(name, kind == "standard" ? "standard" : "custom", data, timestamp);
if (document.body) loadAllowed();
else addEventListener("DOMContentLoaded", loadAllowed);
