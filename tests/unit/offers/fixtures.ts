// A small catalog shaped like the demo shop's (numeric ids, USD cents) and builders for
// offer inputs and records, so each test states only what it is about.
import type { ProductSnapshot } from "../../../app/engine";
import { blankInput, type OfferInput, type OfferRecord } from "../../../app/offers/model";

export const PHONE_64 = "2001";
export const PHONE_128 = "2002";
export const CASE_BLACK = "2005";
export const FILM = "2010";
export const BURGER = "2101";
export const FRIES = "2102";
export const DRINK = "2103";

export function catalog(): Record<string, ProductSnapshot> {
  return {
    "1001": { title: "Aurora Phone", handle: "aurora-phone", image: "/img/phone.svg", variants: { [PHONE_64]: { price: 69900, title: "64 GB" }, [PHONE_128]: { price: 79900, title: "128 GB" } } },
    "1003": { title: "Aurora Phone Case", handle: "aurora-phone-case", image: "/img/case.svg", variants: { [CASE_BLACK]: { price: 2900, title: "Black" } } },
    "1005": { title: "Aurora Screen Film (2-pack)", handle: "aurora-screen-film", variants: { [FILM]: { price: 1500 } } },
    "1101": { title: "Classic Burger", handle: "classic-burger", variants: { [BURGER]: { price: 800 } } },
    "1102": { title: "Crispy Fries", handle: "crispy-fries", variants: { [FRIES]: { price: 300 } } },
    "1103": { title: "Fountain Drink", handle: "fountain-drink", variants: { [DRINK]: { price: 200 } } },
  };
}

export function makeInput(over: Partial<OfferInput> = {}): OfferInput {
  const input = blankInput(over.kind ?? "cross_sell");
  return { ...input, name: "Phone accessories", ...over, trigger: { ...input.trigger, ...over.trigger } };
}

let seq = 0;
export function makeRecord(over: Partial<OfferRecord> = {}): OfferRecord {
  seq++;
  return {
    id: over.id ?? `offer-${String(seq).padStart(3, "0")}`,
    name: `Offer ${seq}`,
    kind: "cross_sell",
    status: "active",
    priority: 0,
    placements: ["product", "cart", "drawer"],
    startsAt: null,
    endsAt: null,
    definition: { trigger: { variants: [PHONE_64] }, variants: [CASE_BLACK, FILM] },
    version: 1,
    createdAt: new Date("2026-01-01T00:00:00Z"),
    updatedAt: new Date("2026-01-01T00:00:00Z"),
    ...over,
  };
}
