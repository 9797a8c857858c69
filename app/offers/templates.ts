// The strategies a merchant starts from (the research's proven upsell patterns), each as
// the editor's starting values. The free-shipping bar is a shop setting, not an offer:
// its template leads to the settings page.
import type { OfferKind, Placement } from "../engine";
import { blankInput, type OfferInput } from "./model";

export type TemplateId =
  | "frequently_bought_together"
  | "upgrade_to_premium"
  | "add_to_cart_popup"
  | "free_shipping_bar"
  | "bundle_discount"
  | "quantity_breaks"
  | "limited_time"
  | "thank_you_follow_up"
  | "scratch";

export interface OfferTemplate {
  id: TemplateId;
  name: string;
  description: string;
  /** Where the template leads when it is not an offer (the free-shipping bar). */
  settingsUrl?: string;
  kind?: OfferKind;
  placements?: Placement[];
  /** What the merchant picks first, shown as the editor's first hint. */
  hint: string;
}

export const TEMPLATES: OfferTemplate[] = [
  {
    id: "frequently_bought_together",
    name: "Frequently bought together",
    description: "Suggest the accessories that go with a product: a case and a screen film with a phone.",
    kind: "cross_sell",
    placements: ["product", "cart", "drawer"],
    hint: "Choose the product that triggers the offer, then the products bought with it.",
  },
  {
    id: "upgrade_to_premium",
    name: "Upgrade to premium",
    description: "Offer the better version of what is in the cart and show the difference in price: 64 GB → 128 GB.",
    kind: "upsell",
    placements: ["product", "cart", "drawer", "checkout"],
    hint: "Choose the product or variant to replace, then the better one.",
  },
  {
    id: "add_to_cart_popup",
    name: "Add-to-cart pop-up",
    description: "Right after a shopper adds a product, suggest something that completes it.",
    kind: "cross_sell",
    placements: ["add_to_cart_popup"],
    hint: "Choose the products that open the pop-up, then what it suggests.",
  },
  {
    id: "free_shipping_bar",
    name: "Free-shipping bar",
    description: "Show how far the cart is from free shipping ($75, in every currency) and reward tiers beyond it.",
    settingsUrl: "/app/settings#free-shipping",
    hint: "Set the threshold in Settings.",
  },
  {
    id: "bundle_discount",
    name: "Bundle at a discount",
    description: "Sell a fixed set for less: burger, fries and a drink at 15% off.",
    kind: "bundle",
    placements: ["product", "cart", "drawer"],
    hint: "Choose 2 to 4 products and the bundle's discount.",
  },
  {
    id: "quantity_breaks",
    name: "Quantity breaks",
    description: "Reward buying more of the same: 2 for 10% off, 3 for 15% off.",
    kind: "quantity_break",
    placements: ["product", "cart", "drawer"],
    hint: "Choose which products count, then the tiers.",
  },
  {
    id: "limited_time",
    name: "Limited-time offer",
    description: "A discounted add-on with a real end date; shoppers see a countdown only because it really ends.",
    kind: "cross_sell",
    placements: ["product", "cart", "drawer", "checkout"],
    hint: "Choose the trigger, the product on offer and when the offer ends.",
  },
  {
    id: "thank_you_follow_up",
    name: "Thank-you follow-up",
    description: "After the purchase, suggest what completes it on the thank-you page, at its regular price.",
    kind: "cross_sell",
    placements: ["thank_you"],
    hint: "Choose what was bought and what to offer after it.",
  },
  {
    id: "scratch",
    name: "Start from scratch",
    description: "A blank offer: any kind, any placement.",
    kind: "cross_sell",
    placements: ["product", "cart", "drawer"],
    hint: "Choose the kind of offer, then its products.",
  },
];

export function findTemplate(id: string | null | undefined): OfferTemplate | undefined {
  return TEMPLATES.find((t) => t.id === id);
}

const DAY = 24 * 60 * 60 * 1000;

/** The editor's starting values for a template (`now` fixes the limited-time offer's end). */
export function templateInput(id: TemplateId, now = Date.now()): OfferInput {
  const template = findTemplate(id);
  const input = blankInput(template?.kind ?? "cross_sell");
  input.template = id;
  if (template?.placements) input.placements = [...template.placements];
  switch (id) {
    case "frequently_bought_together":
      input.name = "Frequently bought together";
      input.title = "Frequently bought together";
      break;
    case "upgrade_to_premium":
      input.name = "Upgrade to premium";
      input.title = "Upgrade and get more";
      break;
    case "add_to_cart_popup":
      input.name = "Add-to-cart pop-up";
      input.title = "Goes well with your choice";
      break;
    case "bundle_discount":
      input.name = "Bundle at 15% off";
      input.title = "Buy the set and save 15%";
      input.discount = { kind: "percent", value: "15" };
      break;
    case "quantity_breaks":
      input.name = "Quantity breaks";
      input.title = "Buy more, save more";
      input.tiers = [
        { quantity: "2", kind: "percent", value: "10" },
        { quantity: "3", kind: "percent", value: "15" },
      ];
      break;
    case "limited_time":
      input.name = "Limited-time offer";
      input.title = "Today only: 20% off";
      input.discount = { kind: "percent", value: "20" };
      input.endsAt = new Date(now + 7 * DAY).toISOString();
      break;
    case "thank_you_follow_up":
      input.name = "Thank-you follow-up";
      // No discount: the next order's cart will not hold the trigger, so a discount shown
      // here could not be honoured at checkout (see the thank-you extension).
      input.title = "Complete your setup";
      break;
    default:
      input.name = "";
  }
  return input;
}
