// The cart page's bar before the engine loads, for a currency whose threshold Liquid could
// not render (no explicit amount: the engine converts and rounds it). Like the Liquid
// snippet `cartlift-bar`, it measures the goals against the cart's total as Liquid
// rendered it (`cart.total_price`, after the discounts the cart already earns), and it
// takes the threshold from the engine's own `convertThreshold`, so the figures match what
// the engine says once it runs (tests check both agree).
import { convertThreshold } from "../app/engine/money";
import type { Goal, ShopSettings } from "../app/engine/types";
import type { BarGoal } from "./bar";

export function goalsFromTotal(shop: ShopSettings, currency: string, rate: number, total: number, ships = true): BarGoal[] {
  const goal = (g: Goal, label?: string): BarGoal => {
    const threshold = g.amounts && Object.hasOwn(g.amounts, currency) ? g.amounts[currency] : convertThreshold(g.amount, shop.currency, currency, rate);
    return { threshold, remaining: Math.max(0, threshold - total), progress: Math.min(1, total / threshold), reached: total >= threshold, label };
  };
  return [...(shop.freeShipping && ships ? [goal(shop.freeShipping)] : []), ...(shop.rewardTiers || []).map((t) => goal(t, t.label))].sort((a, b) => a.threshold - b.threshold);
}
