// A mistyped selector in a theme setting (where the cart drawer's offers go) must cost the
// merchant that placement, never the storefront script: checked in Chromium, whose CSS parser
// is the one that throws.
import { expect, test } from "@playwright/test";
import { usableSelector } from "../../storefront/selectors";

test("a theme setting's mistyped selector reads as not set instead of throwing", async ({ page }) => {
  await page.setContent("<cart-drawer><div class='drawer__contents'></div></cart-drawer>");
  const results = await page.evaluate(
    ({ source, selectors }) => {
      const usable = new Function(`return (${source})`)() as (s: unknown) => string;
      return selectors.map((s) => {
        let threw = false;
        try {
          document.querySelector(s);
        } catch {
          threw = true;
        }
        return { s, threw, usable: usable(s) };
      });
    },
    { source: usableSelector.toString(), selectors: ["cart-drawer .drawer__contents, #CartDrawer .drawer__contents", "cart-drawer .drawer__contents,", "#CartDrawer >", "[data-x", "  "] },
  );
  expect(results).toEqual([
    { s: "cart-drawer .drawer__contents, #CartDrawer .drawer__contents", threw: false, usable: "cart-drawer .drawer__contents, #CartDrawer .drawer__contents" },
    { s: "cart-drawer .drawer__contents,", threw: true, usable: "" },
    { s: "#CartDrawer >", threw: true, usable: "" },
    // Chromium forgives an unclosed attribute selector: it is usable as typed.
    { s: "[data-x", threw: false, usable: "[data-x" },
    { s: "  ", threw: true, usable: "" },
  ]);
});
