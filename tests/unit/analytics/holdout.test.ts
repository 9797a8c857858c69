import { describe, expect, it } from "vitest";
import { assignGroup, bucketOf, forGroup, groupFor, holdoutOf } from "../../../app/analytics/holdout";
import { coerceSettingsInput, defaultSettings, displaySettings, readSettings, settingsToInput, validateSettings } from "../../../app/settings/settings";
import { visitorId } from "../../../storefront/visitor";

const ids = Array.from({ length: 20000 }, (_, i) => `visitor:${i.toString(36)}-${(i * 7919) % 10007}`);

describe("holdout assignment", () => {
  it("holds out about the configured share of shoppers", () => {
    for (const share of [0.05, 0.1, 0.3]) {
      const held = ids.filter((id) => assignGroup(id, share) === "holdout").length / ids.length;
      // Binomial standard error at n = 20,000 is under 0.33 points; allow 4 of them.
      expect(Math.abs(held - share)).toBeLessThan(4 * Math.sqrt((share * (1 - share)) / ids.length));
    }
  });

  it("holds out nobody at 0 %", () => {
    expect(ids.some((id) => assignGroup(id, 0) === "holdout")).toBe(false);
  });

  it("is deterministic and sticky: the same shopper always gets the same group", () => {
    for (const id of ids.slice(0, 500)) expect(assignGroup(id, 0.1)).toBe(assignGroup(id, 0.1));
  });

  it("raising the share only moves treatment shoppers into the holdout", () => {
    const at10 = new Set(ids.filter((id) => assignGroup(id, 0.1) === "holdout"));
    const at20 = new Set(ids.filter((id) => assignGroup(id, 0.2) === "holdout"));
    for (const id of at10) expect(at20.has(id)).toBe(true);
  });

  it("spreads buckets evenly (χ² over 10 bins within the 99.9 % bound)", () => {
    const bins = new Array(10).fill(0);
    for (const id of ids) bins[Math.floor(bucketOf(id) * 10)]++;
    const expected = ids.length / 10;
    const chi = bins.reduce((s, o) => s + (o - expected) ** 2 / expected, 0);
    expect(chi).toBeLessThan(27.88); // χ²(9) at p = 0.001
  });

  it("uses the customer id when logged in, the visitor id otherwise, and keeps a cart's group", () => {
    expect(groupFor({ customerId: 42, visitorId: "a", share: 0.5 })).toBe(assignGroup("customer:42", 0.5));
    expect(groupFor({ customerId: null, visitorId: "a", share: 0.5 })).toBe(assignGroup("visitor:a", 0.5));
    expect(groupFor({ cart: "holdout", customerId: 42, visitorId: "a", share: 0 })).toBe("holdout");
    expect(groupFor({ cart: "bogus", visitorId: "a", share: 0 })).toBe("treatment");
  });
});

describe("what a held-out shopper sees", () => {
  const evaluation = { offers: [{ offerId: "o" }] as never[], freeShipping: { remaining: 100 } as never, rewardTiers: [{ id: "t" }] as never[] };

  it("no offers; the bar unless the merchant hides it too; treatment unchanged", () => {
    expect(forGroup(evaluation, "holdout", { share: 0.1, hideBar: false })).toEqual({ ...evaluation, offers: [] });
    expect(forGroup(evaluation, "holdout", { share: 0.1, hideBar: true })).toEqual({ offers: [], freeShipping: null, rewardTiers: [] });
    expect(forGroup(evaluation, "treatment", { share: 0.1, hideBar: true })).toBe(evaluation);
    expect(forGroup(evaluation, null, { share: 0.1, hideBar: true })).toBe(evaluation);
  });

  it("reads the published holdout, and none from a ruleset without one or with a bad one", () => {
    expect(holdoutOf({ holdout: { share: 0.2, hideBar: true } })).toEqual({ share: 0.2, hideBar: true });
    expect(holdoutOf({})).toEqual({ share: 0, hideBar: false });
    expect(holdoutOf({ holdout: { share: 7 } })).toEqual({ share: 0, hideBar: false });
  });
});

describe("holdout settings", () => {
  const context = { currency: "USD", currencies: ["USD"], products: {} };
  it("defaults to 10 % and publishes it in the ruleset's display part", () => {
    expect(defaultSettings().holdout).toEqual({ share: 0.1, hideBar: false });
    expect(displaySettings(readSettings({})).holdout).toEqual({ share: 0.1, hideBar: false });
  });

  it("accepts 0 (off) and refuses a share outside 0–50 % with a clear message", () => {
    const input = (share: string) => coerceSettingsInput({ ...settingsToInput(defaultSettings(), "USD", ["USD"]), holdoutShare: share, holdoutHideBar: true });
    const off = validateSettings(input("0"), context);
    expect(off.ok && off.settings.holdout).toEqual({ share: 0, hideBar: true });
    const twelve = validateSettings(input("12.5"), context);
    expect(twelve.ok && twelve.settings.holdout.share).toBe(0.125);
    for (const bad of ["60", "-1", "ten", ""]) {
      const result = validateSettings(input(bad), context);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.errors.holdoutShare).toMatch(/from 0 to 50/);
    }
  });

  it("reads a stored 0 % as off, not as the default", () => {
    expect(readSettings({ holdout: { share: 0 } }).holdout.share).toBe(0);
  });
});

describe("the storefront's visitor id", () => {
  const storage = () => {
    const map = new Map<string, string>();
    return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) } as unknown as Storage;
  };
  it("is kept in localStorage with consent and reused", () => {
    const host = { localStorage: storage(), sessionStorage: storage(), crypto: { randomUUID: () => "id-1" } };
    expect(visitorId(host)).toBe("id-1");
    expect(visitorId({ ...host, crypto: { randomUUID: () => "id-2" } })).toBe("id-1");
  });
  it("stays in sessionStorage when the shopper has not allowed preferences", () => {
    const host = { Shopify: { customerPrivacy: { preferencesProcessingAllowed: () => false } }, localStorage: storage(), sessionStorage: storage(), crypto: { randomUUID: () => "s-1" } };
    expect(visitorId(host)).toBe("s-1");
    expect(host.localStorage.getItem("cartlift:visitor")).toBeNull();
    expect(host.sessionStorage.getItem("cartlift:visitor")).toBe("s-1");
  });
});
