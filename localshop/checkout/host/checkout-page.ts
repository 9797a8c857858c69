// The local checkout page's script: renders the order summary and hosts the checkout UI
// extension's targets, each with its own `shopify` global; line changes go to the server,
// which re-prices the cart and re-runs the discount function, and every realm is updated.
import type { CheckoutView } from "../checkout";
import { createCheckoutApi } from "./api";
import { mountExtension } from "./realm";
import { renderSummary } from "./summary";
import { publishCheckoutEvent } from "./pixel-events";

interface PageData {
  view: CheckoutView;
  targets: { target: string; slot: string }[];
  bundleUrl: string;
  language: string;
  extensionLanguage: string;
  translations: Record<string, unknown>;
  settings: Record<string, unknown>;
  locked: boolean;
  timeZone: string;
}

const data = JSON.parse(document.getElementById("checkout-data")!.textContent!) as PageData;
const byId = (id: string) => document.getElementById(id)!;
const updates: ((view: CheckoutView) => void)[] = [];

function show(view: CheckoutView) {
  renderSummary(view, byId("summary-lines"), byId("summary-totals"));
  byId("shipping-method").textContent = view.shipping
    ? `${view.shipping.title} · ${view.shipping.discounted.amount == 0 ? "Free" : new Intl.NumberFormat("en", { style: "currency", currency: view.currency }).format(view.shipping.discounted.amount)}`
    : "No shipping required";
  // The applied codes, each with a remove button (Shopify's reductions).
  byId("discount-codes").replaceChildren(
    ...view.discountCodes.map(({ code }) => {
      const item = document.createElement("li");
      const remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = "×";
      remove.setAttribute("aria-label", `Remove ${code}`);
      remove.addEventListener("click", () => send({ type: "removeDiscountCode", code }, "/checkout/discount-codes"));
      item.append(code, remove);
      return item;
    }),
  );
  const problems = byId("function-problems");
  problems.textContent = view.functionProblems.join("\n");
  problems.hidden = !view.functionProblems.length;
  for (const update of updates) update(view);
}

async function send(change: unknown, path = "/checkout/lines"): Promise<{ type: "success" } | { type: "error"; message: string }> {
  try {
    const response = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ change }),
    });
    const body = (await response.json()) as { result?: { type: "success" } | { type: "error"; message: string }; view?: CheckoutView };
    if (body.view) show(body.view);
    return body.result ?? { type: "error", message: `The checkout answered ${response.status}` };
  } catch {
    return { type: "error", message: "The checkout could not be reached" };
  }
}

show(data.view);
publishCheckoutEvent("checkout_started", data.view);
for (const { target, slot } of data.targets) {
  const { api, update } = createCheckoutApi(
    data.view,
    { target, scriptUrl: data.bundleUrl, language: data.language, extensionLanguage: data.extensionLanguage, translations: data.translations, settings: data.settings, locked: data.locked, timeZone: data.timeZone },
    send,
  );
  updates.push(update);
  mountExtension(byId(slot), { target, title: "Cartlift offers", bundleUrl: data.bundleUrl, api });
}

byId("discount-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = byId("discount-code") as HTMLInputElement;
  const result = await send({ type: "addDiscountCode", code: input.value }, "/checkout/discount-codes");
  byId("discount-error").textContent = result.type == "error" ? result.message : "";
  if (result.type == "success") input.value = "";
});

byId("pay-now").addEventListener("click", async (event) => {
  const button = event.currentTarget as HTMLButtonElement;
  button.disabled = true;
  byId("pay-error").textContent = "";
  try {
    const response = await fetch("/checkout/complete", { method: "POST" });
    const body = (await response.json()) as { redirect?: string; error?: string };
    if (body.redirect) return location.assign(body.redirect);
    byId("pay-error").textContent = body.error ?? "The order could not be placed.";
  } catch {
    byId("pay-error").textContent = "The checkout could not be reached.";
  }
  button.disabled = false;
});
