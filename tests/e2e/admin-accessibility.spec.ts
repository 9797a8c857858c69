// Every admin page, as a merchant (and a screen reader) meets it: a title that names the
// page, and no serious or critical accessibility violation (axe).
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

test.describe.configure({ timeout: 120_000 });

async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.filter((v) => v.impact == "serious" || v.impact == "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

async function anOffer(page: Page): Promise<string> {
  const response = await page.request.post("/app/offers/new", {
    form: { intent: "save", offer: JSON.stringify({ name: "Phone accessories", kind: "cross_sell", placements: ["cart"], trigger: { variants: ["2001"] }, variants: ["2005"] }) },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(302);
  const id = /\/app\/offers\/([^?]+)/.exec(response.headers()["location"] ?? "")![1];
  made.push(id);
  return id;
}

// The other admin specs expect the demo shop as it starts (no offers): remove what we made.
const made: string[] = [];
test.afterAll(async ({ request }) => {
  for (const id of made) {
    const response = await request.post(`/app/offers/${id}`, { form: { intent: "delete" }, maxRedirects: 0 });
    expect(response.status()).toBe(302);
  }
});

const PAGES: Array<{ path: string | ((page: Page) => Promise<string>); title: RegExp; ready: string }> = [
  { path: "/app", title: /^Home · Cartlift$/, ready: "Cartlift" },
  { path: "/app/offers", title: /^Offers · Cartlift$/, ready: "Offers" },
  { path: "/app/offers/new", title: /^Create an offer · Cartlift$/, ready: "Create an offer" },
  { path: "/app/offers/new?template=frequently_bought_together", title: /^Frequently bought together · Cartlift$/, ready: "Frequently bought together" },
  { path: async (page) => `/app/offers/${await anOffer(page)}`, title: /^Phone accessories · Cartlift$/, ready: "Phone accessories" },
  { path: "/app/settings", title: /^Settings · Cartlift$/, ready: "Settings" },
  { path: "/app/preview", title: /^Preview · Cartlift$/, ready: "Preview" },
];

for (const { path, title, ready } of PAGES) {
  test(`${typeof path == "string" ? path : "an offer's page"}: a title naming the page, no serious accessibility violation`, async ({ page }) => {
    await page.goto(typeof path == "string" ? path : await path(page));
    await expect(page.getByRole("heading", { name: ready }).first()).toBeVisible({ timeout: 20_000 });
    await expect(page).toHaveTitle(title);
    expect(await seriousViolations(page)).toEqual([]);
  });
}

test("the template gallery's buttons are named by the text they show", async ({ page }) => {
  await page.goto("/app/offers/new");
  const links = page.locator("a[href*='template='], a[href*='/app/settings']").filter({ has: page.locator("span") });
  await expect(links.first()).toBeVisible();
  for (const link of await links.all()) {
    const text = (await link.innerText()).replace(/\s+/g, " ").trim();
    const name = (await link.getAttribute("aria-label")) ?? text;
    expect(name).toMatch(/: /); // it says which template too
    // WCAG 2.5.3 (label in name): the accessible name contains the visible text.
    expect(name.toLowerCase()).toContain(text.toLowerCase());
  }
});
