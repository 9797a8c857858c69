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
