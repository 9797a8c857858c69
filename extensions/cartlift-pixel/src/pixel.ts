// Cartlift's web pixel, the part that decides: which events to keep, how to batch them and
// when to send. index.ts hands it Shopify's pixel API; tests hand it fakes.
//
// - Cartlift's custom events (`cartlift:impression|click|accept|dismiss|session`, published
//   by the storefront script and the checkout extension) and Shopify's standard
//   `checkout_started` / `checkout_completed` (the completion guardrail) become ingest events
//   (app/analytics/pixel-events.ts); everything else is ignored.
// - Events are sent in batches (at most MAX_BATCH, or after `delayMs` from the first queued
//   one) as text/plain JSON (no CORS preflight), as a beacon from the top frame (index.ts),
//   to the `ingestUrl` setting the app gave its pixel (webPixelCreate). A queued beacon is
//   the browser's to deliver: the batch is then forgotten.
// - Each event keeps Shopify's id of the customer event (`event.id`): a batch sent again (its
//   answer lost, or a page closed between the beacon and the mirror's update) is counted
//   once, because the server skips ids it has stored (app/analytics/events.server.ts).
// - A page may close before its batch leaves: the queue is mirrored in the top frame's
//   sessionStorage (the pixel API's `browser.sessionStorage`) and what is left is sent by
//   the pixel on the next page of the visit.
// - The pixel only loads with the shopper's consent (the toml's customer_privacy), so what
//   it counts undercounts; the lift is computed from orders, never from these events.
import { fromCheckoutEvent, fromCustomEvent, type IngestEvent } from "../../../app/analytics/pixel-events";

export const MAX_BATCH = 50;
export const PENDING_KEY = "cartlift:pixel-pending";

export interface PixelHost {
  settings: { ingestUrl?: string };
  shop: string;
  subscribe(name: string, callback: (event: any) => void): void;
  storage: { getItem(key: string): Promise<string | null>; setItem(key: string, value: string): Promise<void>; removeItem(key: string): Promise<void> };
  send(url: string, body: string): Promise<boolean>;
  setTimer(callback: () => void, ms: number): unknown;
  delayMs?: number;
}

export function startPixel(host: PixelHost): { flush(): Promise<void> } {
  const url = host.settings.ingestUrl;
  const delay = host.delayMs ?? 1000;
  let queue: IngestEvent[] = [];
  let timer: unknown = null;
  let ready: Promise<void> = Promise.resolve();

  const mirror = () => (queue.length ? host.storage.setItem(PENDING_KEY, JSON.stringify(queue)) : host.storage.removeItem(PENDING_KEY)).catch(() => undefined);

  async function flush(): Promise<void> {
    timer = null;
    await ready;
    while (queue.length && url) {
      const batch = queue.splice(0, MAX_BATCH);
      // The beacon first, then the mirror without the batch: the top frame runs them in that
      // order, so a page closing in between leaves the batch mirrored (sent by the next page)
      // rather than lost; only a close between the two could send it twice.
      const sending = host.send(url, JSON.stringify({ shop: host.shop, events: batch })).catch(() => false);
      await mirror();
      const ok = await sending;
      // One retry on the next page for a batch the network lost (never more than a batch's worth).
      if (!ok) {
        queue = [...batch, ...queue].slice(0, MAX_BATCH * 2);
        await mirror();
        return;
      }
    }
  }

  function add(event: IngestEvent | null): void {
    if (!event || !url) return;
    queue.push(event);
    // Mirrored once what earlier pages left is read and merged (never over it).
    ready.then(mirror);
    if (queue.length >= MAX_BATCH) flush();
    else if (!timer) timer = host.setTimer(flush, delay);
  }

  // What an earlier page of this visit queued and could not send.
  ready = host.storage
    .getItem(PENDING_KEY)
    .then((raw) => {
      const pending = raw ? (JSON.parse(raw) as IngestEvent[]) : [];
      if (Array.isArray(pending) && pending.length) {
        queue = [...pending.slice(0, MAX_BATCH * 2), ...queue];
        if (!timer) timer = host.setTimer(flush, 0);
        return mirror();
      }
    })
    .catch(() => undefined);

  host.subscribe("all_custom_events", (event) => add(fromCustomEvent(event)));
  host.subscribe("checkout_started", (event) => add(fromCheckoutEvent(event)));
  host.subscribe("checkout_completed", (event) => add(fromCheckoutEvent(event)));
  return { flush };
}
