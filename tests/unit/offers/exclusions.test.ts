// Whether a product's new tags (products/update) change what a published frequently-bought-
// together offer excludes: the decision that keeps a tagged product from being offered until
// the next rebuild, without republishing on every product edit.
import { describe, expect, it } from "vitest";
import { exclusionChange, parseTags } from "../../../app/offers/exclusions";
import type { OfferRecord } from "../../../app/offers/model";
import { makeRecord } from "./fixtures";

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
    expect(exclusionChange([offer], [{ id: "o1", exclude: ["9"] }], "7", ["clearance"])).toBe("exclude");
    expect(exclusionChange([offer], [{ id: "o1", exclude: ["9"] }], "7", ["CLEARANCE "].map((t) => t.trim()))).toBe("exclude");
  });

  it("nothing to do when the published ruleset already agrees (every other product edit)", () => {
    expect(exclusionChange([offer], [{ id: "o1", exclude: ["7"] }], "7", ["clearance", "new"])).toBeNull();
    expect(exclusionChange([offer], [{ id: "o1", exclude: ["9"] }], "7", ["summer"])).toBeNull();
    expect(exclusionChange([offer], [{ id: "o1" }], "7", [])).toBeNull();
  });

  it("a tag removed lets the product back, unless the offer names it or excludes collections", () => {
    expect(exclusionChange([offer], [{ id: "o1", exclude: ["7"] }], "7", ["summer"])).toBe("include");
    expect(exclusionChange([fbt("o1", { tags: ["clearance"], products: ["7"] })], [{ id: "o1", exclude: ["7"] }], "7", [])).toBeNull();
    // Still in an excluded collection? The payload does not say: left to the next rebuild.
    expect(exclusionChange([fbt("o1", { tags: ["clearance"], collections: ["55"] })], [{ id: "o1", exclude: ["7"] }], "7", [])).toBeNull();
  });

  it("exclude wins over include across offers; offers not published, manual offers and offers without tags are ignored", () => {
    const other = fbt("o2", { tags: ["summer"] });
    expect(exclusionChange([offer, other], [{ id: "o1", exclude: ["7"] }, { id: "o2", exclude: [] }], "7", ["summer"])).toBe("exclude");
    expect(exclusionChange([offer], [], "7", ["clearance"])).toBeNull();
    expect(exclusionChange([offer], null, "7", ["clearance"])).toBeNull();
    const manual = makeRecord({ id: "o3", definition: { ...makeRecord().definition, exclude: { products: [], collections: [], tags: ["clearance"] } } });
    expect(exclusionChange([manual], [{ id: "o3", exclude: [] }], "7", ["clearance"])).toBeNull();
    expect(exclusionChange([fbt("o1", { products: ["8"] })], [{ id: "o1", exclude: ["8"] }], "7", ["clearance"])).toBeNull();
  });
});
