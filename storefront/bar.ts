// The free-shipping / reward-tier bar's message and fill, from the engine's goal progress.
// Pure. The bar always speaks of the next goal not yet reached (cheapest first), saying
// also that free shipping is unlocked when it is; once all are reached, of the last one. The Liquid snippet `cartlift-bar` renders the same view
// on the server for the first paint (tests check that both agree).
import type { Cart, GoalProgress, RewardProgress } from "../app/engine/types";
import { fill, type Texts } from "./texts";

export interface BarGoal extends GoalProgress {
  /** Absent: free shipping; otherwise the reward's label. */
  label?: string;
}

export interface BarView {
  message: string;
  /** 0..1 towards the goal spoken of. */
  progress: number;
  reached: boolean;
}

/** The bar's goals; free shipping only where something in the cart ships (`ships`). */
export function barGoals(freeShipping: GoalProgress | null, tiers: RewardProgress[], ships = true): BarGoal[] {
  const goals: BarGoal[] = tiers.map((t) => ({ threshold: t.threshold, remaining: t.remaining, progress: t.progress, reached: t.reached, label: t.label }));
  if (freeShipping && ships) goals.unshift({ ...freeShipping });
  return goals.sort((a, b) => a.threshold - b.threshold);
}

export function barView(goals: BarGoal[], money: (minor: number) => string, texts: Texts): BarView | null {
  if (!goals.length) return null;
  const next = goals.find((g) => !g.reached);
  const goal = next || goals[goals.length - 1];
  const key = (goal.reached ? "bar_reached" : "bar_away") + (goal.label ? "_reward" : "");
  let message = fill(texts[key] || "", { amount: money(goal.remaining), reward: goal.label || "" });
  // Free shipping reached on the way to a reward: say so too.
  if (next?.label && goals.some((g) => !g.label && g.reached)) message = texts.bar_reached + " " + message;
  return { message, progress: goal.progress, reached: !next };
}

/** Reward tiers reached whose free gift is not in the cart yet: the shopper may add it
 *  (one unit, tagged with the tier's id, which the engine then prices at zero). */
export const claimableGifts = (tiers: RewardProgress[], cart: Cart): RewardProgress[] =>
  tiers.filter((t) => t.reached && t.gift && !cart.lines.some((l) => l.variantId == t.gift));
