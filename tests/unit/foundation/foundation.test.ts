import { describe, expect, it } from "vitest";
import { poolConfigFromUrl } from "../../../app/db/connection.server";
import { throttleWaitMs } from "../../../app/admin-api.server";
import { LOCAL_SHOP_DOMAIN, localShopFetch, localShopUrl } from "../../../app/local-shop.server";
import { customerKey } from "../../../app/shop/privacy.server";

describe("database connection settings", () => {
  it("splits a URL into discrete pg settings so a URL can never override the database", () => {
    expect(poolConfigFromUrl("postgresql://cart%40lift:p%2Fss@db.internal:6543/cartlift")).toMatchObject({
      host: "db.internal",
      port: 6543,
      user: "cart@lift",
      password: "p/ss",
      database: "cartlift",
      allowExitOnIdle: true,
    });
  });

  it("refuses a URL that is not Postgres", () => {
    expect(() => poolConfigFromUrl("mysql://root@localhost/cartlift")).toThrow(/postgres:\/\//);
  });
});

describe("throttle waits", () => {
  it("waits as long as the bucket needs to refill for the query", () => {
    const body = {
      extensions: {
        cost: { requestedQueryCost: 152, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 2, restoreRate: 100 } },
      },
    };
    expect(throttleWaitMs(body)).toBe(1500);
  });

  it("waits a second when Shopify gives no bucket state", () => {
    expect(throttleWaitMs({})).toBe(1000);
  });
});

describe("local-shop mode", () => {
  it("sends only the demo shop's Admin API calls to the local shop", async () => {
    const seen: string[] = [];
    const base = (async (input: RequestInfo | URL) => {
      seen.push(String(input));
      return new Response("{}");
    }) as typeof fetch;
    const routed = localShopFetch(base, "http://127.0.0.1:3001");
    await routed(`https://${LOCAL_SHOP_DOMAIN}/admin/api/2026-10/graphql.json`);
    await routed("https://other-shop.myshopify.com/admin/api/2026-10/graphql.json");
    expect(seen).toEqual([
      "http://127.0.0.1:3001/admin/api/2026-10/graphql.json",
      "https://other-shop.myshopify.com/admin/api/2026-10/graphql.json",
    ]);
  });

  it("is refused in production", () => {
    const saved = { url: process.env.LOCAL_SHOP_URL, env: process.env.NODE_ENV };
    process.env.LOCAL_SHOP_URL = "http://127.0.0.1:3001";
    process.env.NODE_ENV = "production";
    try {
      expect(() => localShopUrl()).toThrow(/production/);
    } finally {
      process.env.NODE_ENV = saved.env;
      if (saved.url === undefined) delete process.env.LOCAL_SHOP_URL;
      else process.env.LOCAL_SHOP_URL = saved.url;
    }
  });
});

describe("customer keys", () => {
  it("reads numeric ids and GIDs alike, and nothing else", () => {
    expect(customerKey(7001)).toBe("7001");
    expect(customerKey("gid://shopify/Customer/7001")).toBe("7001");
    expect(customerKey("")).toBeNull();
    expect(customerKey({ id: 1 })).toBeNull();
  });
});
