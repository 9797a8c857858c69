// The order summary of the local checkout and thank-you pages: lines with their discounts,
// shipping, savings and total, exactly as the server computed them (the discount function's
// result included). Ids on the figures let tests read them.
import type { CheckoutView } from "../checkout";
import { h, money } from "./dom";

/** A price-tag icon (decorative), as Shopify's checkout marks discounts. */
function tag(): SVGSVGElement {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("class", "tag");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", "M1.5 2.5v5l7 7 6-6-7-7h-5zm3 1.5a1 1 0 1 1 0 2 1 1 0 0 1 0-2z");
  svg.append(path);
  return svg;
}

export function renderSummary(view: CheckoutView, lines: HTMLElement, totals: HTMLElement): void {
  lines.replaceChildren(
    ...view.lines.map((line) => {
      const discounted = line.discountAllocations.length > 0;
      return h(
        "li",
        { class: "line", "data-line-id": line.id, "data-variant-id": line.merchandise.id },
        h(
          "div",
          { class: "thumb" },
          line.merchandise.image ? h("img", { src: line.merchandise.image.url, alt: line.merchandise.image.altText ?? "" }) : null,
          h("span", { class: "qty", "aria-label": `Quantity ${line.quantity}` }, String(line.quantity)),
        ),
        h(
          "div",
          { class: "line-text" },
          h("p", { class: "line-title" }, line.display.productTitle),
          line.display.variantTitle ? h("p", { class: "line-variant" }, line.display.variantTitle) : null,
          ...line.discountAllocations.map((d) =>
            h("p", { class: "line-discount" }, tag(), `${d.title} (−${money(d.discountedAmount)})`),
          ),
        ),
        h(
          "p",
          { class: "line-price" },
          discounted ? h("s", { class: "line-original" }, money(line.display.originalTotal)) : null,
          h("span", { class: "line-total" }, money(line.cost.totalAmount)),
        ),
      );
    }),
  );
  const items = view.lines.reduce((s, l) => s + l.quantity, 0);
  const rows: HTMLElement[] = [
    h("dt", {}, `Subtotal · ${items} item${items == 1 ? "" : "s"}`),
    h("dd", { id: "summary-subtotal" }, money(view.cost.subtotalAmount)),
  ];
  if (view.shipping) {
    const free = view.shipping.discounted.amount == 0 && view.shipping.original.amount > 0;
    rows.push(
      h("dt", {}, "Shipping"),
      h(
        "dd",
        { id: "summary-shipping" },
        view.shipping.discounts.length ? h("s", {}, money(view.shipping.original)) : null,
        " ",
        free ? "Free" : money(view.shipping.discounted),
      ),
    );
    for (const d of view.shipping.discounts) rows.push(h("dt", { class: "shipping-discount" }, tag(), d.title), h("dd", { class: "shipping-discount" }, `−${money(d.amount)}`));
  } else rows.push(h("dt", {}, "Shipping"), h("dd", { id: "summary-shipping" }, "Not required"));
  for (const d of view.discountAllocations) rows.push(h("dt", {}, `Order discount · ${d.title}`), h("dd", {}, `−${money(d.discountedAmount)}`));
  rows.push(
    h("dt", { class: "total" }, "Total"),
    h("dd", { class: "total" }, h("small", {}, view.currency + " "), h("span", { id: "summary-total" }, money(view.cost.totalAmount))),
  );
  if (view.savings.amount > 0)
    rows.push(h("dt", { class: "savings" }, "Total savings"), h("dd", { class: "savings", id: "summary-savings" }, money(view.savings)));
  totals.replaceChildren(...rows);
}
