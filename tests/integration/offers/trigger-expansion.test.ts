// The publisher expands trigger values not every surface can see into product ids, with
// the Admin API's own search; checked here against the local shop's demo catalog.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalShop, type RunningLocalShop } from "../../../localshop/server";
import { listProducts } from "../../../localshop/state";

let shop: RunningLocalShop;

beforeAll(async () => {
  shop = await startLocalShop();
  process.env.LOCAL_SHOP_URL = shop.url;
});

afterAll(async () => {
  delete process.env.LOCAL_SHOP_URL;
  await shop.stop();
});

const idsOf = (products: Array<{ id: string }>) => products.map((p) => p.id.split("/").pop()!).sort();

describe("trigger expansion", () => {
  it("finds every product of a vendor and of a product type, and nothing else", async () => {
    const { authenticateAdmin } = await import("../../../app/shopify.server");
    const { expandTriggers } = await import("../../../app/offers/catalog.server");
    const { admin } = await authenticateAdmin(new Request("http://localhost/app"));
    const expansions = await expandTriggers(admin, { collections: [], tags: [], vendors: ["Aurora Mobile"], productTypes: ["Phone"] });

    const catalog = listProducts(shop.state);
    const byVendor = idsOf(catalog.filter((p) => p.vendor === "Aurora Mobile"));
    const byType = idsOf(catalog.filter((p) => p.productType === "Phone"));
    expect(byVendor.length).toBeGreaterThan(1);
    expect(expansions.vendors["Aurora Mobile"].sort()).toEqual(byVendor);
    expect(expansions.productTypes.Phone.sort()).toEqual(byType);
  });
});
