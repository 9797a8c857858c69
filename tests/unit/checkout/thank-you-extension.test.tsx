// @vitest-environment happy-dom
// The thank-you target rendered by Shopify's extension tester: one follow-up offer for what
// was bought, honest about when it ends.
/// <reference types="@shopify/ui-extensions/purchase.thank-you.block.render" />
import { resolve } from "node:path";
import { getExtension } from "@shopify/ui-extensions-tester";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEMO, demoRuleset, filmFollowUpOffer } from "./demo-ruleset";
import { checkoutLine, rulesetMetafields } from "./extension-helpers";

const extension = getExtension("purchase.thank-you.block.render", { configSearchDir: resolve("extensions/checkout-offers") });

beforeEach(() => extension.setUp());
afterEach(() => extension.tearDown());

const ENDS = "2099-12-01T17:00:00.000Z";
const texts = (selector: string) => [...document.body.querySelectorAll(selector)].map((e) => e.textContent?.trim());

describe("thank-you follow-up offer", () => {
  it("offers screen film for the next order after a phone, at its regular price, with its real end", async () => {
    extension.shopify.lines.value = [checkoutLine(DEMO.phone.gb64)] as never;
    extension.shopify.appMetafields.value = rulesetMetafields(demoRuleset({ followUpEndsAt: ENDS })) as never;
    await extension.render();
    expect(texts("s-heading")).toEqual(["Complete your phone setup"]);
    expect(texts("s-text")).toContain("Aurora Screen Film (2-pack)");
    // $15, not the offer's $11.25: the next order's checkout would not honour a discount whose
    // trigger (the phone) is not in that cart. The end exactly as published (ISO in the tester).
    expect(texts("s-text[type=strong]")).toEqual(["15"]);
    expect(texts("s-text[type=redundant]")).toEqual([]);
    expect(texts("s-text[color=subdued]")).toContain("endsAt");
    const link = document.body.querySelector("s-button")!;
    expect(link.getAttribute("href")).toBe(
      `https://mock-shop.myshopify.com/products/aurora-screen-film?variant=${DEMO.screenFilm.variant}&cartlift_offer=film-follow-up`,
    );
  });

  it("shows no end when the offer has none (no invented urgency)", async () => {
    const { endsAt: _none, ...open } = filmFollowUpOffer(ENDS);
    extension.shopify.lines.value = [checkoutLine(DEMO.phone.gb64)] as never;
    extension.shopify.appMetafields.value = rulesetMetafields(demoRuleset({ offers: [open] })) as never;
    await extension.render();
    expect(texts("s-heading")).toEqual(["Complete your phone setup"]);
    expect(texts("s-text")).not.toContain("endsAt");
  });

  it("shows nothing once the offer has ended", async () => {
    extension.shopify.lines.value = [checkoutLine(DEMO.phone.gb64)] as never;
    extension.shopify.appMetafields.value = rulesetMetafields(demoRuleset({ followUpEndsAt: "2001-01-01T00:00:00Z" })) as never;
    await extension.render();
    expect(document.body.innerHTML).toBe("");
  });

  it("does not show checkout-only offers on the thank-you page", async () => {
    extension.shopify.lines.value = [checkoutLine(DEMO.phone.gb64)] as never;
    extension.shopify.appMetafields.value = rulesetMetafields(demoRuleset()) as never;
    await extension.render();
    expect(document.body.innerHTML).toBe("");
  });
});
