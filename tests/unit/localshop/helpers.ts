// Shared helpers for the local shop's unit tests: a shop with a controllable clock and a
// one-call way to run Admin GraphQL against it.
import { executeAdminGraphql, type AdminGraphqlResponse } from "../../../localshop/admin-api";
import { createLocalShop, type LocalShopOptions, type LocalShopState } from "../../../localshop/state";

export interface TestShop {
  state: LocalShopState;
  clock: { now: number; advance(ms: number): void };
}

/** A seeded shop whose clock only moves when the test says so. */
export function makeShop(options: Omit<LocalShopOptions, "now"> = {}): TestShop {
  const clock = {
    now: Date.parse("2026-11-01T12:00:00Z"),
    advance(ms: number) {
      clock.now += ms;
    },
  };
  const state = createLocalShop({ ...options, now: () => clock.now });
  return { state, clock };
}

export async function gql<T = any>(
  state: LocalShopState,
  query: string,
  variables?: Record<string, unknown>,
): Promise<AdminGraphqlResponse & { data?: T }> {
  return (await executeAdminGraphql(state, { query, variables })) as AdminGraphqlResponse & { data?: T };
}
