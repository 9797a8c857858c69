// Whether a product's new tags (products/update) change what a published frequently-bought-
// together offer excludes: the decision that keeps a tagged product from being offered until
// the next rebuild, without republishing on every product edit.
import { describe, expect, it } from "vitest";
import { exclusionChange, parseTags } from "../../../app/offers/exclusions";
import type { OfferRecord } from "../../../app/offers/model";
import { makeRecord } from "./fixtures";

const edited = (id: string, tags: string[], collections: string[] | null = null) => ({ id, tags, collections: collections && new Set(collections) });
const fbt = (id: string, exclude: { products?: string[]; collections?: string[]; tags?: string[] }): OfferRecord =>
  makeRecord({ id, definition: { ...makeRecord().definition, source: "fbt", exclude: { products: [], collections: [], tags: [], ...exclude } } });

describe("parseTags", () => {
  it("reads Shopify's REST string, trimmed and without case", () => {
    expect(parseTags("Clearance,  final sale , ,x")).toEqual(["clearance", "final sale", "x"]);
    expect(parseTags("")).toEqual([]);
    expect(parseTags(undefined)).toEqual([]);
    expect(parseTags(["clearance"])).toEqual([]); // not Shopify's shape: nothing, not a crash
  });
});

describe("exclusionChange", () => {
  const offer = fbt("o1", { tags: ["clearance"] });

  it("a product newly tagged must leave an offer that still offers it", () => {
    expect(exclusionChange([offer], [{ id: "o1", exclude: ["9"] }], edited("7", ["clearance"]))).toBe("exclude");
    expect(exclusionChange([offer], [{ id: "o1", exclude: ["9"] }], edited("7", ["CLEARANCE "].map((t) => t.trim())))).toBe("exclude");
  });

  it("nothing to do when the published ruleset already agrees (every other product edit)", () => {
    expect(exclusionChange([offer], [{ id: "o1", exclude: ["7"] }], edited("7", ["clearance", "new"]))).toBeNull();
    expect(exclusionChange([offer], [{ id: "o1", exclude: ["9"] }], edited("7", ["summer"]))).toBeNull();
    expect(exclusionChange([offer], [{ id: "o1" }], edited("7", []))).toBeNull();
  });

  it("a tag removed lets the product back, unless the offer names it or it is in an excluded collection", () => {
    expect(exclusionChange([offer], [{ id: "o1", exclude: ["7"] }], edited("7", ["summer"]))).toBe("include");
    expect(exclusionChange([fbt("o1", { tags: ["clearance"], products: ["7"] })], [{ id: "o1", exclude: ["7"] }], edited("7", []))).toBeNull();
    const both = fbt("o1", { tags: ["clearance"], collections: ["55"] });
    expect(exclusionChange([both], [{ id: "o1", exclude: ["7"] }], edited("7", [], ["55"]))).toBeNull();
    expect(exclusionChange([both], [{ id: "o1", exclude: ["7"] }], edited("7", [], []))).toBe("include");
    // Its collections not read: it may still be in one, so it is left to the next rebuild.
    expect(exclusionChange([both], [{ id: "o1", exclude: ["7"] }], edited("7", [], null))).toBeNull();
  });

  it("a product added to an excluded collection must leave the offer; one taken out may come back", () => {
    const byCollection = fbt("o1", { collections: ["55", "56"] });
    expect(exclusionChange([byCollection], [{ id: "o1", exclude: ["9"] }], edited("7", [], ["56"]))).toBe("exclude");
    expect(exclusionChange([byCollection], [{ id: "o1", exclude: ["7"] }], edited("7", [], ["55"]))).toBeNull();
    expect(exclusionChange([byCollection], [{ id: "o1", exclude: ["7"] }], edited("7", [], []))).toBe("include");
    expect(exclusionChange([byCollection], [{ id: "o1", exclude: ["9"] }], edited("7", ["clearance"], []))).toBeNull();
  });

  it("exclude wins over include across offers; offers not published, manual offers and offers without tags are ignored", () => {
    const other = fbt("o2", { tags: ["summer"] });
    expect(exclusionChange([offer, other], [{ id: "o1", exclude: ["7"] }, { id: "o2", exclude: [] }], edited("7", ["summer"]))).toBe("exclude");
    expect(exclusionChange([offer], [], edited("7", ["clearance"]))).toBeNull();
    expect(exclusionChange([offer], null, edited("7", ["clearance"]))).toBeNull();
    const manual = makeRecord({ id: "o3", definition: { ...makeRecord().definition, exclude: { products: [], collections: [], tags: ["clearance"] } } });
    expect(exclusionChange([manual], [{ id: "o3", exclude: [] }], edited("7", ["clearance"]))).toBeNull();
    // Excluding products by name only: no product edit changes that.
    expect(exclusionChange([fbt("o1", { products: ["8"] })], [{ id: "o1", exclude: ["8"] }], edited("8", ["clearance"]))).toBeNull();
  });
});
