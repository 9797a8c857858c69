import { describe, expect, it } from "vitest";
import { dismissalStore, mayPersist } from "../../../storefront/dismissals";

class MemoryStorage {
  data = new Map<string, string>();
  getItem = (k: string) => this.data.get(k) ?? null;
  setItem = (k: string, v: string) => void this.data.set(k, v);
  removeItem = (k: string) => void this.data.delete(k);
  clear = () => this.data.clear();
  key = () => null;
  length = 0;
}
const storages = () => ({ localStorage: new MemoryStorage() as unknown as Storage, sessionStorage: new MemoryStorage() as unknown as Storage });

describe("dismissed offers", () => {
  it("persist in localStorage on a shop without the Customer Privacy API", () => {
    const host = storages();
    dismissalStore(host).add(["a"]);
    expect(dismissalStore(host).list()).toEqual(["a"]);
    expect(host.localStorage.getItem("cartlift:dismissed")).toBe('["a"]');
  });

  it("stay in the session only when the shopper has not allowed preferences", () => {
    const host = { ...storages(), Shopify: { customerPrivacy: { preferencesProcessingAllowed: () => false } } };
    expect(mayPersist(host)).toBe(false);
    dismissalStore(host).add(["a"]);
    expect(host.localStorage.getItem("cartlift:dismissed")).toBeNull();
    expect(dismissalStore(host).list()).toEqual(["a"]);
  });

  it("persist once the shopper allows preferences, keeping the session's", () => {
    let allowed = false;
    const host = { ...storages(), Shopify: { customerPrivacy: { preferencesProcessingAllowed: () => allowed } } };
    dismissalStore(host).add(["a"]);
    allowed = true;
    const store = dismissalStore(host);
    store.add(["b"]);
    expect(store.list().sort()).toEqual(["a", "b"]);
    expect(host.localStorage.getItem("cartlift:dismissed")).toBe('["b"]');
  });

  it("fall back to memory when storage is blocked", () => {
    const host = {
      get localStorage(): Storage {
        throw new Error("SecurityError");
      },
      get sessionStorage(): Storage {
        throw new Error("SecurityError");
      },
    };
    const store = dismissalStore(host);
    store.add(["a"]);
    expect(store.list()).toEqual(["a"]);
  });
});

describe("the declined-offers cart attribute (what every surface of a cart agrees on)", () => {
  it("reads ids from its comma-separated value, and nothing from anything else", async () => {
    const { parseDeclined } = await import("../../../app/engine/cart");
    expect(parseDeclined("phone-case, grill-brush,,phone-case")).toEqual(["phone-case", "grill-brush"]);
    expect(parseDeclined(undefined)).toEqual([]);
    expect(parseDeclined(["phone-case"])).toEqual([]);
  });

  it("adds ids once, keeping the newest forty", async () => {
    const { withDeclined } = await import("../../../app/engine/cart");
    expect(withDeclined("a,b", ["b", "c"])).toBe("a,b,c");
    expect(withDeclined(undefined, ["a"])).toBe("a");
    const many = Array.from({ length: 45 }, (_, i) => "o" + i);
    const value = withDeclined(many.join(","), ["new"]);
    expect(value.split(",")).toHaveLength(40);
    expect(value.endsWith(",new")).toBe(true);
    expect(value.startsWith("o6,")).toBe(true);
  });
});
