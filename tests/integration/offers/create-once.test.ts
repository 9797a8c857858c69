// A create submitted twice (a double click, a retried request) makes one offer: the form's
// idempotency key is stored with the offer, and a second submit with it, even one racing
// the first, answers with the first offer. Duplicating an offer makes a paused
// "Copy of …" of it, once per key, and only of the shop's own offers.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../../app/db.server";
import { copyName, duplicateOffer, saveOffer } from "../../../app/offers/offers.server";
import { templateInput } from "../../../app/offers/templates";
import { uniqueShop } from "../../support/webhooks";
import { startTestShop, type TestShop } from "./support";

let testShop: TestShop;
beforeAll(async () => {
  testShop = await startTestShop();
});
afterAll(() => testShop.stop());

function fbtInput(name = "Phone accessories") {
  const input = templateInput("frequently_bought_together");
  input.name = name;
  input.trigger.variants = ["2001"];
  input.variants = ["2005", "2010"];
  return input;
}

describe("creating an offer once", () => {
  it("two submits of one form at the same moment make one offer, and both answer with it", async () => {
    const scope = await testShop.scopeFor(uniqueShop("double-create"));
    const createKey = randomUUID();
    const results = await Promise.all([saveOffer(scope, fbtInput(), { createKey }), saveOffer(scope, fbtInput(), { createKey })]);
    expect(results.every((r) => r.ok)).toBe(true);
    const ids = results.map((r) => (r.ok ? r.offer.id : null));
    expect(ids[0]).toBe(ids[1]);
    expect(await prisma.offer.count({ where: { shop: scope.shop } })).toBe(1);
  });

  it("a submit repeated later with the same key answers with the first offer", async () => {
    const scope = await testShop.scopeFor(uniqueShop("replayed-create"));
    const createKey = randomUUID();
    const first = await saveOffer(scope, fbtInput(), { createKey });
    const again = await saveOffer(scope, fbtInput("Edited before the retry"), { createKey });
    expect(first.ok && again.ok && again.offer.id == first.offer.id).toBe(true);
    expect(again.ok && again.offer.name).toBe("Phone accessories");
    expect(await prisma.offer.count({ where: { shop: scope.shop } })).toBe(1);
  });

  it("separate forms (other keys, or none) make separate offers; a key is per shop", async () => {
    const scope = await testShop.scopeFor(uniqueShop("separate-creates"));
    const other = await testShop.scopeFor(uniqueShop("separate-creates-other"));
    const createKey = randomUUID();
    await saveOffer(scope, fbtInput(), { createKey });
    await saveOffer(scope, fbtInput(), { createKey: randomUUID() });
    await saveOffer(scope, fbtInput(), {});
    expect(await prisma.offer.count({ where: { shop: scope.shop } })).toBe(3);
    // Another shop's form with the same key is its own.
    const theirs = await saveOffer(other, fbtInput(), { createKey });
    expect(theirs.ok).toBe(true);
    expect(await prisma.offer.count({ where: { shop: other.shop } })).toBe(1);
  });

  it("an invalid first submit stores nothing, so the same form's corrected submit creates the offer", async () => {
    const scope = await testShop.scopeFor(uniqueShop("invalid-then-valid"));
    const createKey = randomUUID();
    const invalid = fbtInput("");
    expect((await saveOffer(scope, invalid, { createKey })).ok).toBe(false);
    const valid = await saveOffer(scope, fbtInput(), { createKey });
    expect(valid.ok).toBe(true);
    expect(await prisma.offer.count({ where: { shop: scope.shop } })).toBe(1);
  });
});

describe("duplicating an offer", () => {
  it("makes a paused copy named “Copy of …” with the same rules, once per key", async () => {
    const scope = await testShop.scopeFor(uniqueShop("duplicate"));
    const original = await saveOffer(scope, fbtInput(), {});
    if (!original.ok) throw new Error("the original was not saved");
    const createKey = randomUUID();
    const [copy, again] = await Promise.all([duplicateOffer(scope, original.offer.id, createKey), duplicateOffer(scope, original.offer.id, createKey)]);
    expect(copy?.offer.id).toBe(again?.offer.id);
    expect(copy?.offer).toMatchObject({ name: "Copy of Phone accessories", status: "paused", kind: original.offer.kind, placements: original.offer.placements, priority: original.offer.priority });
    expect(copy?.offer.definition).toEqual(original.offer.definition);
    expect(copy?.offer.id).not.toBe(original.offer.id);
    expect(copy?.publish.status).toBe("published");
    expect(await prisma.offer.count({ where: { shop: scope.shop } })).toBe(2);
    // The original is untouched.
    expect(await prisma.offer.findUnique({ where: { id: original.offer.id } })).toMatchObject({ name: "Phone accessories", status: "active", version: 1 });
  });

  it("never copies another shop's offer", async () => {
    const owner = await testShop.scopeFor(uniqueShop("duplicate-owner"));
    const intruder = await testShop.scopeFor(uniqueShop("duplicate-intruder"));
    const original = await saveOffer(owner, fbtInput(), {});
    if (!original.ok) throw new Error("the original was not saved");
    expect(await duplicateOffer(intruder, original.offer.id)).toBeNull();
    expect(await prisma.offer.count({ where: { shop: intruder.shop } })).toBe(0);
  });

  it("keeps a long name within the name limit", () => {
    const long = "x".repeat(120);
    expect(copyName(long)).toHaveLength(120);
    expect(copyName(long).startsWith("Copy of x")).toBe(true);
    expect(copyName("Burger meal")).toBe("Copy of Burger meal");
  });
});
