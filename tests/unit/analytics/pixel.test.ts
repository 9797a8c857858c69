// The web pixel's decisions (extensions/cartlift-pixel/src/pixel.ts) with a fake pixel API:
// which events it keeps, how it batches, and that a page closing mid-batch loses nothing.
import { describe, expect, test } from "vitest";
import { eventName, fromCheckoutEvent, fromCustomEvent } from "../../../app/analytics/pixel-events";
import { MAX_BATCH, PENDING_KEY, startPixel, type PixelHost } from "../../../extensions/cartlift-pixel/src/pixel";

function fakeHost(options: { ingestUrl?: string; stored?: Record<string, string>; ok?: boolean } = {}) {
  const subscribers = new Map<string, ((e: unknown) => void)[]>();
  const storage = new Map(Object.entries(options.stored ?? {}));
  const sent: { url: string; body: any }[] = [];
  const timers: (() => void)[] = [];
  const host: PixelHost = {
    settings: { ingestUrl: "ingestUrl" in options ? options.ingestUrl : "https://app.example/api/events" },
    shop: "demo.myshopify.com",
    subscribe: (name, cb) => subscribers.set(name, [...(subscribers.get(name) ?? []), cb]),
    storage: {
      getItem: async (k) => storage.get(k) ?? null,
      setItem: async (k, v) => void storage.set(k, v),
      removeItem: async (k) => void storage.delete(k),
    },
    send: async (url, body) => {
      sent.push({ url, body: JSON.parse(body) });
      return options.ok ?? true;
    },
    setTimer: (cb) => timers.push(cb),
  };
  const publish = (name: string, event: object) => {
    for (const cb of subscribers.get(name.startsWith("cartlift:") ? "all_custom_events" : name) ?? []) cb({ name, timestamp: "2026-12-02T10:00:00.000Z", ...event });
  };
  const runTimers = async () => {
    while (timers.length) await timers.shift()!();
  };
  return { host, storage, sent, publish, runTimers };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("mapping published events", () => {
  test("a Cartlift offer event becomes one ingest event with its offer, placement and group", () => {
    expect(fromCustomEvent({ name: eventName("click"), customData: { offerId: "off_1", placement: "cart", group: "treatment" }, timestamp: "2026-12-02T10:00:00Z" })).toEqual({
      type: "click",
      offerId: "off_1",
      placement: "cart",
      group: "treatment",
      at: "2026-12-02T10:00:00Z",
    });
  });
  test("the customer event's id goes along (the server counts a resent event once); a malformed one is left out", () => {
    const data = { offerId: "off_1", placement: "cart", group: "treatment" };
    expect(fromCustomEvent({ id: "sh-3f1c9e2a-77d4-4b0e-9a65-0c2a5d8e4b11", name: eventName("impression"), customData: data, timestamp: "t" })).toEqual({
      id: "sh-3f1c9e2a-77d4-4b0e-9a65-0c2a5d8e4b11",
      type: "impression",
      offerId: "off_1",
      placement: "cart",
      group: "treatment",
      at: "t",
    });
    expect(fromCheckoutEvent({ id: "sh-checkout-1", name: "checkout_started", timestamp: "t", data: { checkout: { attributes: [] } } })).toEqual({ id: "sh-checkout-1", type: "checkout_started", group: "none", at: "t" });
    expect(fromCustomEvent({ id: 42, name: eventName("impression"), customData: data })).not.toHaveProperty("id");
    expect(fromCustomEvent({ id: "x".repeat(65), name: eventName("impression"), customData: data })).not.toHaveProperty("id");
  });
  test("other apps' events, unknown kinds and offer events without an offer are ignored", () => {
    expect(fromCustomEvent({ name: "otherapp:click", customData: { offerId: "x" } })).toBeNull();
    expect(fromCustomEvent({ name: "cartlift:purchase", customData: { offerId: "x" } })).toBeNull();
    expect(fromCustomEvent({ name: "cartlift:impression", customData: {} })).toBeNull();
  });
  test("a group that is not treatment or holdout counts apart, never guessed", () => {
    expect(fromCustomEvent({ name: "cartlift:session", customData: { group: "control" } })?.group).toBe("none");
    expect(fromCustomEvent({ name: "cartlift:session", customData: { group: "holdout" } })).toMatchObject({ type: "session", group: "holdout" });
  });
  test("checkout events carry the cart's group attribute", () => {
    const event = { name: "checkout_completed", timestamp: "t", data: { checkout: { attributes: [{ key: "_cartlift_group", value: "holdout" }] } } };
    expect(fromCheckoutEvent(event)).toEqual({ type: "checkout_completed", group: "holdout", at: "t" });
    expect(fromCheckoutEvent({ name: "checkout_started", data: { checkout: { attributes: [] } } })?.group).toBe("none");
  });
});

describe("batching", () => {
  test("events wait for the timer and leave in one batch naming the shop", async () => {
    const h = fakeHost();
    startPixel(h.host);
    await settle();
    h.publish("cartlift:impression", { customData: { offerId: "a", placement: "cart", group: "treatment" } });
    h.publish("cartlift:click", { customData: { offerId: "a", placement: "cart", group: "treatment" } });
    h.publish("page_viewed", {});
    expect(h.sent).toEqual([]);
    await h.runTimers();
    expect(h.sent).toHaveLength(1);
    expect(h.sent[0].url).toBe("https://app.example/api/events");
    expect(h.sent[0].body.shop).toBe("demo.myshopify.com");
    expect(h.sent[0].body.events.map((e: { type: string }) => e.type)).toEqual(["impression", "click"]);
    expect(h.storage.has(PENDING_KEY)).toBe(false);
  });

  test("a full batch leaves at once, without waiting", async () => {
    const h = fakeHost();
    startPixel(h.host);
    await settle();
    for (let i = 0; i < MAX_BATCH; i++) h.publish("cartlift:impression", { customData: { offerId: `o${i}`, group: "treatment" } });
    await settle();
    await settle();
    expect(h.sent).toHaveLength(1);
    expect(h.sent[0].body.events).toHaveLength(MAX_BATCH);
  });

  test("what a closed page left queued is sent by the next page", async () => {
    const first = fakeHost();
    startPixel(first.host);
    await settle();
    first.publish("cartlift:accept", { customData: { offerId: "a", placement: "product", group: "treatment" } });
    await settle();
    // The page closes: the timer never runs, the top frame's sessionStorage keeps the queue.
    expect(first.sent).toEqual([]);
    const next = fakeHost({ stored: Object.fromEntries(first.storage) });
    startPixel(next.host);
    await settle();
    await next.runTimers();
    expect(next.sent).toHaveLength(1);
    expect(next.sent[0].body.events).toEqual([expect.objectContaining({ type: "accept", offerId: "a" })]);
    expect(next.storage.has(PENDING_KEY)).toBe(false);
  });

  test("a page that publishes before reading what the last page left keeps both, for the page after", async () => {
    const first = fakeHost();
    startPixel(first.host);
    await settle();
    first.publish("cartlift:impression", { customData: { offerId: "a", placement: "product", group: "treatment" } });
    await settle();
    // The second page's events come before its read of the mirror resolves; it closes too.
    const second = fakeHost({ stored: Object.fromEntries(first.storage) });
    startPixel(second.host);
    second.publish("checkout_started", { data: { checkout: { attributes: [] } } });
    await settle();
    await settle();
    const third = fakeHost({ stored: Object.fromEntries(second.storage) });
    startPixel(third.host);
    await settle();
    await third.runTimers();
    expect(third.sent.flatMap((s) => s.body.events.map((e: { type: string }) => e.type))).toEqual(["impression", "checkout_started"]);
  });

  test("a batch the network lost stays queued for a later page", async () => {
    const h = fakeHost({ ok: false });
    startPixel(h.host);
    await settle();
    h.publish("cartlift:dismiss", { customData: { offerId: "a", group: "treatment" } });
    await h.runTimers();
    expect(h.sent).toHaveLength(1);
    expect(JSON.parse(h.storage.get(PENDING_KEY)!)).toEqual([expect.objectContaining({ type: "dismiss" })]);
  });

  test("a batch sent again carries the same event ids (so the server can tell it was counted)", async () => {
    const first = fakeHost({ ok: false });
    startPixel(first.host);
    await settle();
    first.publish("cartlift:impression", { id: "sh-e1", customData: { offerId: "a", placement: "drawer", group: "treatment" } });
    await first.runTimers();
    const next = fakeHost({ stored: Object.fromEntries(first.storage) });
    startPixel(next.host);
    await settle();
    await next.runTimers();
    expect(first.sent[0].body.events.map((e: { id: string }) => e.id)).toEqual(["sh-e1"]);
    expect(next.sent[0].body.events.map((e: { id: string }) => e.id)).toEqual(["sh-e1"]);
  });

  test("without an ingest URL (not activated) nothing is queued or sent", async () => {
    const h = fakeHost({ ingestUrl: undefined });
    startPixel(h.host);
    await settle();
    h.publish("cartlift:impression", { customData: { offerId: "a" } });
    await h.runTimers();
    expect(h.sent).toEqual([]);
    expect(h.storage.size).toBe(0);
  });
});
