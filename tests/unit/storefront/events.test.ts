// The storefront's offer events (storefront/events.ts): published through Shopify's
// analytics API with the shopper's group, an impression once per page and placement, the
// visitor marker once per session, and a broken analytics API never stopping the offers.
import { describe, expect, test } from "vitest";
import { offerEvents } from "../../../storefront/events";

function host(options: { throws?: boolean } = {}) {
  const published: Array<[string, unknown]> = [];
  const store = new Map<string, string>();
  return {
    published,
    Shopify: {
      analytics: {
        publish: (name: string, data: unknown) => {
          if (options.throws) throw new Error("analytics broke");
          published.push([name, data]);
        },
      },
    },
    sessionStorage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) } as unknown as Storage,
  };
}

describe("offer events", () => {
  test("an impression is published once per offer and placement, with the group", () => {
    const h = host();
    let group = "treatment";
    const events = offerEvents(h, () => group);
    events.impressions(["a", "b"], "cart");
    events.impressions(["a", "b"], "cart");
    events.impressions(["a"], "drawer");
    group = "holdout";
    events.click("a", "cart");
    expect(h.published).toEqual([
      ["cartlift:impression", { offerId: "a", placement: "cart", group: "treatment" }],
      ["cartlift:impression", { offerId: "b", placement: "cart", group: "treatment" }],
      ["cartlift:impression", { offerId: "a", placement: "drawer", group: "treatment" }],
      ["cartlift:click", { offerId: "a", placement: "cart", group: "holdout" }],
    ]);
  });

  test("the session marker is published once per browser session, even across pages", () => {
    const h = host();
    offerEvents(h, () => "treatment").session();
    offerEvents(h, () => "treatment").session(); // the next page, same session storage
    expect(h.published).toEqual([["cartlift:session", { group: "treatment" }]]);
  });

  test("a throwing analytics API, or none, never throws into the storefront", () => {
    expect(() => offerEvents(host({ throws: true }), () => "treatment").accept("a", "product")).not.toThrow();
    expect(() => offerEvents({}, () => "treatment").dismiss("a", "product")).not.toThrow();
  });
});
