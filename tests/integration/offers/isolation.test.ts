// One shop can never read or change another shop's offers, through any admin route.
// Requests are authenticated the way Shopify authenticates an embedded app (a session
// token signed with the app's secret, naming the shop), not through the local shop's
// stand-in session: every route takes the shop from that token, never from the request.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import prisma from "../../../app/db.server";
import { uniqueShop } from "../../support/webhooks";
import type { TestShop } from "./support";

// Real embedded-app authentication: no local-shop stand-in in this file.
delete process.env.LOCAL_SHOP_URL;

type Args = { request: Request; params: Record<string, string>; context: Record<string, unknown> };
type RouteFn = (args: Args) => Promise<unknown>;

let testShop: TestShop;
let routes: {
  list: { loader: RouteFn; action: RouteFn };
  edit: { loader: RouteFn; action: RouteFn };
  create: { action: RouteFn };
  preview: { loader: RouteFn };
  settings: { loader: RouteFn; action: RouteFn };
};
const shopA = uniqueShop("shop-a");
const shopB = uniqueShop("shop-b");
let offerA: string;
let offerB: string;

const definition = { trigger: { variants: ["2001"] }, variants: ["2005", "2010"] };

async function as(shop: string, url: string, init: RequestInit = {}): Promise<Request> {
  return setUpValidRequest(
    { type: RequestType.Bearer, store: shop.replace(".myshopify.com", ""), apiKey: process.env.SHOPIFY_API_KEY!, apiSecretKey: process.env.SHOPIFY_API_SECRET! },
    new Request(`https://cartlift.test${url}`, init),
  );
}

/** Runs a loader or action; a thrown Response (404, redirect) is returned instead. */
async function call(fn: RouteFn, request: Request, params: Record<string, string> = {}): Promise<unknown> {
  try {
    return await fn({ request, params, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const form = (fields: Record<string, string | string[]>) => {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const value of [v].flat()) body.append(k, value);
  return { method: "POST", body };
};

beforeAll(async () => {
  const { startTestShop } = await import("./support");
  testShop = await startTestShop();
  await testShop.scopeFor(shopA);
  await testShop.scopeFor(shopB);
  routes = {
    list: await import("../../../app/routes/app.offers._index"),
    edit: await import("../../../app/routes/app.offers.$id"),
    create: await import("../../../app/routes/app.offers.new"),
    preview: await import("../../../app/routes/api.preview"),
    settings: await import("../../../app/routes/app.settings"),
  } as unknown as typeof routes;
  offerA = (await prisma.offer.create({ data: { shop: shopA, name: "A's phone offer", kind: "cross_sell", placements: ["cart"], definition } })).id;
  offerB = (await prisma.offer.create({ data: { shop: shopB, name: "B's phone offer", kind: "cross_sell", placements: ["cart"], definition } })).id;
  await prisma.shop.create({ data: { shop: shopB, settings: { maxOffers: 2 } } });
});
afterAll(() => testShop?.stop());

describe("cross-shop isolation", () => {
  it("authenticates as the shop in the session token", async () => {
    const page = (await call(routes.list.loader, await as(shopA, "/app/offers"))) as { offers: Array<{ id: string; name: string }> };
    expect(page.offers.map((o) => o.id)).toEqual([offerA]);
  });

  it("the list never shows another shop's offers, whatever the search", async () => {
    const page = (await call(routes.list.loader, await as(shopA, "/app/offers?q=phone&status=active"))) as { offers: Array<{ name: string }>; shopTotal: number };
    expect(page.offers.map((o) => o.name)).toEqual(["A's phone offer"]);
    expect(page.shopTotal).toBe(1);
  });

  it("another shop's offer is not found in the editor", async () => {
    const response = await call(routes.edit.loader, await as(shopA, `/app/offers/${offerB}`), { id: offerB });
    expect(response).toBeInstanceOf(Response);
    expect((response as Response).status).toBe(404);
  });

  it("saving over another shop's offer is refused and changes nothing", async () => {
    const before = await prisma.offer.findUnique({ where: { id: offerB } });
    const offer = JSON.stringify({ name: "Hijacked", kind: "cross_sell", placements: ["cart"], trigger: { variants: ["2001"] }, variants: ["2005"] });
    const response = await call(routes.edit.action, await as(shopA, `/app/offers/${offerB}`, form({ intent: "save", offer, version: "1" })), { id: offerB });
    expect((response as Response).status).toBe(404);
    expect(await prisma.offer.findUnique({ where: { id: offerB } })).toEqual(before);
  });

  it("deleting another shop's offer is refused", async () => {
    const response = await call(routes.edit.action, await as(shopA, `/app/offers/${offerB}`, form({ intent: "delete" })), { id: offerB });
    expect((response as Response).status).toBe(404);
    expect(await prisma.offer.count({ where: { id: offerB } })).toBe(1);
  });

  it("bulk actions with another shop's ids, or on 'all', touch only the session's shop", async () => {
    const byIds = (await call(routes.list.action, await as(shopA, "/app/offers", form({ intent: "delete", id: [offerB] })))) as { count: number };
    expect(byIds.count).toBe(0);
    const all = (await call(routes.list.action, await as(shopA, "/app/offers", form({ intent: "pause", scope: "all", filters: "" })))) as { count: number };
    expect(all.count).toBe(1);
    expect(await prisma.offer.findUnique({ where: { id: offerB } })).toMatchObject({ status: "active", version: 1 });
    expect(await prisma.offer.findUnique({ where: { id: offerA } })).toMatchObject({ status: "paused" });
  });

  it("a shop named in the request body is ignored: the offer goes to the session's shop", async () => {
    const offer = JSON.stringify({ shop: shopB, name: "Created by A", kind: "cross_sell", placements: ["cart"], trigger: { variants: ["2001"] }, variants: ["2005"] });
    const body = form({ intent: "save", offer, shop: shopB });
    const response = await call(routes.create.action, await as(shopA, `/app/offers/new?shop=${shopB}`, body));
    expect((response as Response).status).toBe(302);
    expect(await prisma.offer.count({ where: { shop: shopB, name: "Created by A" } })).toBe(0);
    expect(await prisma.offer.count({ where: { shop: shopA, name: "Created by A" } })).toBe(1);
  });

  it("the preview never evaluates another shop's offer, even when asked for it", async () => {
    await prisma.offer.update({ where: { id: offerA }, data: { status: "active" } });
    const q = JSON.stringify({ sample: { items: [{ variantId: "2001", quantity: 1 }], placement: "cart" }, offerId: offerB });
    const request = await as(shopA, `/api/preview?q=${encodeURIComponent(q)}`);
    const result = (await ((await call(routes.preview.loader, request)) as Response).json()) as { offers: Array<{ name: string }>; skipped: Array<{ name: string }> };
    const names = [...result.offers, ...result.skipped].map((o) => o.name);
    expect(names).toContain("A's phone offer");
    expect(names).not.toContain("B's phone offer");
  });

  it("settings are per shop", async () => {
    const page = (await call(routes.settings.loader, await as(shopA, "/app/settings"))) as { input: { maxOffers: string } };
    expect(page.input.maxOffers).toBe("3"); // B's 2 is B's
    const settings = { ...page.input, maxOffers: "1" };
    const saved = (await call(routes.settings.action, await as(shopA, "/app/settings", form({ settings: JSON.stringify(settings) })))) as { ok: boolean };
    expect(saved.ok).toBe(true);
    expect((await prisma.shop.findUnique({ where: { shop: shopA } }))?.settings).toMatchObject({ maxOffers: 1 });
    expect((await prisma.shop.findUnique({ where: { shop: shopB } }))?.settings).toEqual({ maxOffers: 2 });
  });

  it("a request without a valid session token is refused", async () => {
    const forged = new Request("https://cartlift.test/app/offers", { headers: { authorization: "Bearer not-a-token" } });
    const response = await call(routes.list.loader, forged);
    expect(response).toBeInstanceOf(Response);
    expect([401, 302]).toContain((response as Response).status);
  });
});
