// The strict sandbox's worker runtime (what Shopify's web pixels manager runs around an app
// pixel): it defines the `shopify.extend` global that `register` from
// @shopify/web-pixels-extension calls, then hands the pixel its API once the page sends its
// settings: `analytics.subscribe` (named events, `all_events`, `all_custom_events`,
// `all_standard_events`), `browser` (cookie, localStorage, sessionStorage of the TOP frame,
// asynchronously, through the page), `init`, `settings`, `customerPrivacy.subscribe`.
// No DOM: a pixel that reaches for `document` fails here as it does on Shopify.
type Callback = (event: any) => void;
const scope = self as any;
let render: ((api: unknown) => void) | null = null;
let init: any = null;
let started = false;
const early: any[] = [];
const subscribers = new Map<string, Callback[]>();
const calls = new Map<number, (value: unknown) => void>();
let nextCall = 1;

scope.shopify = {
  extend(point: string, fn: (api: unknown) => void) {
    if (point == "WebPixel::Render") render = fn;
    start();
  },
};

const call = (area: string, method: string, args: unknown[]) =>
  new Promise((resolve) => {
    const id = nextCall++;
    calls.set(id, resolve);
    scope.postMessage({ type: "browser", id, area, method, args });
  });
const storage = (area: string) => ({
  getItem: (key: string) => call(area, "getItem", [key]),
  setItem: (key: string, value: string) => call(area, "setItem", [key, value]),
  removeItem: (key: string) => call(area, "removeItem", [key]),
  key: (index: number) => call(area, "key", [index]),
  length: () => call(area, "length", []),
  clear: () => call(area, "clear", []),
});

function subscribe(name: string, callback: Callback) {
  subscribers.set(name, [...(subscribers.get(name) ?? []), callback]);
  return () => {
    subscribers.set(name, (subscribers.get(name) ?? []).filter((c) => c != callback));
    return true;
  };
}

function dispatch(event: any) {
  const names = [event.name, "all_events", event.type == "custom" ? "all_custom_events" : "all_standard_events"];
  for (const name of names)
    for (const callback of subscribers.get(name) ?? []) {
      try {
        callback(event);
      } catch (error) {
        console.error("web pixel subscriber failed", error);
      }
    }
}

function start() {
  if (started || !render || !init) return;
  started = true;
  render({
    settings: init.settings,
    analytics: { subscribe },
    browser: {
      cookie: { get: (name?: string) => call("cookie", "get", [name]), set: (name: string, value?: string) => call("cookie", "set", [name, value]) },
      localStorage: storage("localStorage"),
      sessionStorage: storage("sessionStorage"),
      // Like Shopify's, run by the top frame (navigator.sendBeacon there).
      sendBeacon: (url: string, body?: string) => call("navigator", "sendBeacon", [url, body]),
    },
    init: init.init,
    customerPrivacy: { subscribe: (name: string, callback: Callback) => subscribe("privacy:" + name, callback) },
    _pixelInfo: { id: init.id, type: "APP", runtimeContext: "STRICT" },
  });
  early.splice(0).forEach(dispatch);
}

scope.onmessage = (e: MessageEvent) => {
  const m = e.data;
  if (m?.type == "init") {
    init = m;
    start();
  } else if (m?.type == "event") started ? dispatch(m.event) : early.push(m.event);
  else if (m?.type == "privacy") dispatch({ name: "privacy:" + m.name, type: "privacy", customerPrivacy: m.customerPrivacy });
  else if (m?.type == "browser-result") {
    calls.get(m.id)?.(m.value);
    calls.delete(m.id);
  }
};
