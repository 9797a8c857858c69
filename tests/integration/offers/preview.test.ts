// The live preview: the shop's live offers plus the unsaved one being edited, evaluated
// by the engine on a sample cart from the catalog, with every skipped offer explained.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../../app/db.server";
import { previewOffers } from "../../../app/offers/preview.server";
import { templateInput } from "../../../app/offers/templates";
import { uniqueShop } from "../../support/webhooks";
import { startTestShop, type TestShop } from "./support";

let testShop: TestShop;
beforeAll(async () => {
  testShop = await startTestShop();
});
afterAll(() => testShop.stop());

function fbtDraft() {
  const draft = templateInput("frequently_bought_together");
  draft.trigger.variants = ["2001"];
  draft.variants = ["2005", "2010"];
  return draft;
}

const cart = (items: Array<[string, number]>, over: Record<string, unknown> = {}) => ({
  items: items.map(([variantId, quantity]) => ({ variantId, quantity })),
  currency: "USD",
  placement: "cart",
  customer: "guest",
  ...over,
});

describe("the live preview", () => {
  it("shows the unsaved offer for a cart holding its trigger, picked automatically", async () => {
    const scope = await testShop.scopeFor(uniqueShop("preview"));
    const result = await previewOffers(scope, { sample: cart([]), draft: fbtDraft() });
    expect(result.sample).toMatchObject({ auto: true, items: [{ variantId: "2001", quantity: 1 }] });
    expect(result.lines).toEqual([{ title: "Aurora Phone", variantTitle: "64 GB", quantity: 1, unitPrice: "$699.00" }]);
    expect(result.offers).toHaveLength(1);
    expect(result.offers[0]).toMatchObject({ isDraft: true, title: "Frequently bought together" });
    expect(result.offers[0].items.map((i) => [i.title, i.variantTitle, i.priceAfter])).toEqual([
      ["Aurora Phone Case", "Black", "$29.00"],
      ["Aurora Screen Film (2-pack)", undefined, "$15.00"],
    ]);
  });

  it("explains in words why every other offer does not show", async () => {
    const scope = await testShop.scopeFor(uniqueShop("preview-skips"));
    const base = { shop: scope.shop, kind: "cross_sell", definition: { trigger: { variants: ["2001"] }, variants: ["2012"] } };
    await prisma.offer.createMany({
      data: [
        { ...base, name: "Checkout only", placements: ["checkout"] },
        { ...base, name: "For grills", placements: ["cart"], definition: { trigger: { variants: ["2019"] }, variants: ["2020"] } },
        { ...base, name: "Headphones add-on", placements: ["cart"], definition: { trigger: { variants: ["2012"] }, variants: ["2015"] } },
        { ...base, name: "Members only", placements: ["cart"], definition: { ...base.definition, audience: { customer: "logged_in" } } },
        { ...base, name: "Paused one", placements: ["cart"], status: "paused" },
      ],
    });
    // The charger ($25) triggers headphones ($149): far more than 30% of the cart.
    const result = await previewOffers(scope, { sample: cart([["2012", 1]]) });
    const words = Object.fromEntries(result.skipped.map((s) => [s.name, s.words]));
    expect(words).toEqual({
      "Checkout only": "Not shown on the cart page: it shows on the checkout.",
      "For grills": "Nothing in the cart triggers it.",
      "Headphones add-on": "What it offers costs more than 30% of the cart, so it would feel out of proportion (price anchoring).",
      "Members only": "Nothing in the cart triggers it.",
    });
    const phone = await previewOffers(scope, { sample: cart([["2001", 1]]) });
    expect(phone.skipped.find((s) => s.name == "Members only")?.words).toBe("It is for logged-in customers only.");
    const member = await previewOffers(scope, { sample: cart([["2001", 1]], { customer: "returning" }) });
    expect(member.offers.map((o) => o.name)).toContain("Members only");
  });

  it("prices the sample cart in another currency with the shop's rate", async () => {
    const scope = await testShop.scopeFor(uniqueShop("preview-eur"));
    const result = await previewOffers(scope, { sample: cart([["2001", 1]], { currency: "JPY" }), draft: fbtDraft() });
    expect(result.currency).toBe("JPY");
    expect(result.lines[0].unitPrice).toBe("¥105,899"); // 699 × 151.5, rounded half up
    expect(result.offers[0].items[0].priceAfter).toBe("¥4,394");
  });

  it("leaves out an invalid draft and says why, previewing the rest", async () => {
    const scope = await testShop.scopeFor(uniqueShop("preview-invalid"));
    const draft = fbtDraft();
    draft.variants = [];
    const result = await previewOffers(scope, { sample: cart([["2001", 1]]), draft });
    expect(result.offers).toEqual([]);
    expect(result.draftErrors).toEqual({ variants: "Choose at least one product to offer." });
    expect(result.notes[0]).toMatch(/left out of the preview until it is complete: Choose at least one product/);
  });

  it("previews the product page with the first item as the product being viewed", async () => {
    const scope = await testShop.scopeFor(uniqueShop("preview-product"));
    const result = await previewOffers(scope, { sample: cart([["2001", 1]], { placement: "product" }), draft: fbtDraft() });
    expect(result.lines[0]).toMatchObject({ title: "Aurora Phone", viewed: true });
    expect(result.offers[0].items.map((i) => i.title)).toEqual(["Aurora Phone Case", "Aurora Screen Film (2-pack)"]);
  });
});
