// The holdout: which shoppers see no Cartlift offers, decided where the shopper is
// (storefront, checkout) with no call to Cartlift's server. Pure; the storefront script
// and the checkout extension import it.
//
// Invariants:
// - Deterministic and sticky: a shopper's group is a hash of a stable id (the customer id
//   when logged in, otherwise a first-party id the storefront keeps), so the same shopper
//   lands in the same group on every page and visit. Raising the share only moves
//   treatment shoppers into the holdout, never the reverse.
// - The cart carries the group (`_cartlift_group`) and, once set, the cart's group wins,
//   so the order is counted in the group whose experience the shopper had.
// - A cart without a group (a permalink straight to checkout) is never guessed: it shows
//   offers as usual and its order counts apart ("none").
import type { Evaluation } from "../engine/types";

export const GROUP_ATTRIBUTE = "_cartlift_group";
export type AssignedGroup = "treatment" | "holdout";

export interface HoldoutSettings {
  /** Share of shoppers held out, 0 ≤ share ≤ 0.5. */
  share: number;
  /** Whether held-out shoppers also see no free-shipping/rewards bar. */
  hideBar: boolean;
}

export const DEFAULT_HOLDOUT: HoldoutSettings = { share: 0.1, hideBar: false };
export const MAX_HOLDOUT_SHARE = 0.5;

/** The holdout as published in the ruleset's display part; none when absent or invalid. */
export function holdoutOf(display: unknown): HoldoutSettings {
  const h = typeof display == "object" && display ? (display as { holdout?: unknown }).holdout : undefined;
  if (typeof h != "object" || !h) return { share: 0, hideBar: false };
  const share = (h as { share?: unknown }).share;
  return {
    share: typeof share == "number" && share >= 0 && share <= MAX_HOLDOUT_SHARE ? share : 0,
    hideBar: (h as { hideBar?: unknown }).hideBar === true,
  };
}

/** FNV-1a (32 bit) of the id, as a number in [0, 1). */
export function bucketOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // One more avalanche round so neighbouring ids spread evenly.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return (hash >>> 0) / 4294967296;
}

export function assignGroup(id: string, share: number): AssignedGroup {
  return bucketOf("cartlift-holdout:" + id) < share ? "holdout" : "treatment";
}

/** A group a cart attribute may hold, or null. */
export function cartGroup(value: unknown): AssignedGroup | null {
  return value === "treatment" || value === "holdout" ? value : null;
}

/** The shopper's group: the cart's when it has one, else by customer id, else by visitor id. */
export function groupFor(input: { cart?: unknown; customerId?: string | number | null; visitorId: string; share: number }): AssignedGroup {
  return cartGroup(input.cart) ?? assignGroup(input.customerId ? `customer:${input.customerId}` : `visitor:${input.visitorId}`, input.share);
}

/** What a shopper in `group` gets of an evaluation: the holdout no offers (and no bar when so set). */
export function forGroup<E extends Pick<Evaluation, "offers" | "freeShipping" | "rewardTiers">>(evaluation: E, group: AssignedGroup | null, holdout: HoldoutSettings): E {
  if (group != "holdout") return evaluation;
  return Object.assign({}, evaluation, { offers: [] }, holdout.hideBar ? { freeShipping: null, rewardTiers: [] } : {});
}
