// Turns what accepting an offer does (the engine's `OfferAction`) into Ajax Cart steps.
// Pure. Invariants: added lines carry only the offer id (hidden `_cartlift_offer` line
// property), never a price; an upgrade replaces the line: same quantity, the shopper's
// own properties kept, the old line removed first; a stale action (its line gone) plans
// nothing rather than adding something the shopper did not choose.
import { OFFER_LINE_PROPERTY } from "../app/engine/cart";
import type { OfferAction } from "../app/engine/types";
import type { AjaxAddItem, AjaxCart } from "./ajax-cart";

export type CartStep = { kind: "remove"; key: string } | { kind: "add"; items: AjaxAddItem[] };

/** `extra` lines (e.g. the product on screen, added with its bundle) go first, untagged. */
export function planAction(action: OfferAction, cart: AjaxCart, extra: AjaxAddItem[] = []): CartStep[] {
  if (action.kind == "replaceVariant") {
    const line = cart.items.find((i) => i.key == action.lineId);
    if (!line) return [];
    const properties = { ...line.properties, [OFFER_LINE_PROPERTY]: action.offerId };
    return [
      { kind: "remove", key: line.key },
      { kind: "add", items: [{ id: Number(action.variantId), quantity: line.quantity, properties }] },
    ];
  }
  const items = [
    ...extra,
    ...action.lines.map((l) => ({ id: Number(l.variantId), quantity: l.quantity, properties: { [OFFER_LINE_PROPERTY]: l.offerId } })),
  ];
  return items.length ? [{ kind: "add", items }] : [];
}
