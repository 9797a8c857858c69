// The local thank-you page's script: the order as placed, and the thank-you target hosted
// with the order's lines and its OrderConfirmationApi.
import type { CheckoutView } from "../checkout";
import { createThankYouApi } from "./api";
import { mountExtension } from "./realm";
import { renderSummary } from "./summary";
import { publishCheckoutEvent } from "./pixel-events";

interface PageData {
  view: CheckoutView;
  order: { id: string; number: string; isFirstOrder: boolean };
  targets: { target: string; slot: string }[];
  bundleUrl: string;
  language: string;
  extensionLanguage: string;
  translations: Record<string, unknown>;
  settings: Record<string, unknown>;
  timeZone: string;
}

const data = JSON.parse(document.getElementById("checkout-data")!.textContent!) as PageData;
const byId = (id: string) => document.getElementById(id)!;

renderSummary(data.view, byId("summary-lines"), byId("summary-totals"));
publishCheckoutEvent("checkout_completed", data.view, data.order);
for (const { target, slot } of data.targets) {
  const { api } = createThankYouApi(
    data.view,
    { target, scriptUrl: data.bundleUrl, language: data.language, extensionLanguage: data.extensionLanguage, translations: data.translations, settings: data.settings, locked: true, timeZone: data.timeZone },
    data.order,
  );
  mountExtension(byId(slot), { target, title: "Cartlift follow-up offer", bundleUrl: data.bundleUrl, api });
}
