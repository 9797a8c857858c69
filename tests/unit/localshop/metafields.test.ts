import { describe, expect, it } from "vitest";
import { getMetafield, getMetafieldJson, listMetafields } from "../../../localshop/state";
import { gql, makeShop } from "./helpers";

const SET = `mutation Set($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) {
    metafields { id namespace key type value compareDigest updatedAt }
    userErrors { field message code elementIndex }
  }
}`;

const INSTALLATION = "gid://shopify/AppInstallation/7501";
const SHOP = "gid://shopify/Shop/1";

interface SetResult {
  metafieldsSet: {
    metafields: { id: string; namespace: string; key: string; type: string; value: string; compareDigest: string; updatedAt: string }[];
    userErrors: { field: string[]; message: string; code: string; elementIndex: number | null }[];
  };
}

describe("metafieldsSet", () => {
  it("writes an app-installation json metafield in the app-reserved namespace and reads it back", async () => {
    const { state } = makeShop();
    const ruleset = JSON.stringify({ schemaVersion: 1, revision: 7, offers: [] });
    const res = await gql<SetResult>(state, SET, {
      metafields: [{ ownerId: INSTALLATION, namespace: "$app", key: "ruleset", type: "json", value: ruleset }],
    });
    expect(res.errors).toBeUndefined();
    const [written] = res.data!.metafieldsSet.metafields;
    expect(res.data!.metafieldsSet.userErrors).toEqual([]);
    expect(written).toMatchObject({ namespace: "app--7001", key: "ruleset", type: "json", value: ruleset });
    expect(written!.id).toMatch(/^gid:\/\/shopify\/Metafield\/\d+$/);
    expect(written!.compareDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(written!.updatedAt).toBe("2026-11-01T12:00:00Z");

    const read = await gql(
      state,
      `{ currentAppInstallation { id metafield(namespace: "$app", key: "ruleset") { value jsonValue }
           metafields(first: 5) { nodes { namespace key } } } }`,
    );
    expect(read.data.currentAppInstallation).toEqual({
      id: INSTALLATION,
      metafield: { value: ruleset, jsonValue: { schemaVersion: 1, revision: 7, offers: [] } },
      metafields: { nodes: [{ namespace: "app--7001", key: "ruleset" }] },
    });
    // What the storefront reads directly from the state.
    expect(getMetafieldJson(state, INSTALLATION, "$app", "ruleset")).toMatchObject({ revision: 7 });
  });

  it("writes shop-owned metafields, $app:suffix namespaces included, readable through shop { metafield }", async () => {
    const { state } = makeShop();
    const res = await gql<SetResult>(state, SET, {
      metafields: [
        { ownerId: SHOP, namespace: "$app:checkout", key: "enabled", type: "boolean", value: "true" },
        { ownerId: SHOP, namespace: "$app", key: "max_offers", type: "number_integer", value: "3" },
        { ownerId: SHOP, namespace: "cartlift_demo", key: "label", type: "single_line_text_field", value: "Hi" },
      ],
    });
    expect(res.data!.metafieldsSet.userErrors).toEqual([]);
    expect(res.data!.metafieldsSet.metafields.map((m) => m.namespace)).toEqual([
      "app--7001--checkout",
      "app--7001",
      "cartlift_demo",
    ]);
    const read = await gql(
      state,
      `{ shop { a: metafield(namespace: "$app:checkout", key: "enabled") { jsonValue }
                b: metafield(namespace: "app--7001", key: "max_offers") { jsonValue type }
                c: metafield(namespace: "$app", key: "missing") { id } } }`,
    );
    expect(read.data.shop).toEqual({ a: { jsonValue: true }, b: { jsonValue: 3, type: "number_integer" }, c: null });
  });

  it("updates in place: same id, new value, new digest", async () => {
    const { state, clock } = makeShop();
    const first = await gql<SetResult>(state, SET, {
      metafields: [{ ownerId: SHOP, namespace: "$app", key: "config", type: "json", value: "{}" }],
    });
    clock.advance(5_000);
    const second = await gql<SetResult>(state, SET, {
      metafields: [{ ownerId: SHOP, namespace: "$app", key: "config", type: "json", value: '{"a":1}' }],
    });
    const [a] = first.data!.metafieldsSet.metafields;
    const [b] = second.data!.metafieldsSet.metafields;
    expect(b!.id).toBe(a!.id);
    expect(b!.compareDigest).not.toBe(a!.compareDigest);
    expect(b!.updatedAt).toBe("2026-11-01T12:00:05Z");
    expect(listMetafields(state, SHOP)).toHaveLength(1);
  });

  it("accepts at most 25 metafields per call (LESS_THAN_OR_EQUAL_TO) and writes none of them", async () => {
    const { state } = makeShop();
    const many = Array.from({ length: 26 }, (_, i) => ({
      ownerId: SHOP,
      namespace: "$app",
      key: `key_${i}`,
      type: "number_integer",
      value: String(i),
    }));
    const res = await gql<SetResult>(state, SET, { metafields: many });
    expect(res.data!.metafieldsSet.metafields).toEqual([]);
    expect(res.data!.metafieldsSet.userErrors).toEqual([
      { field: ["metafields"], message: "Exceeded the maximum metafields input limit of 25.", code: "LESS_THAN_OR_EQUAL_TO", elementIndex: null },
    ]);
    expect(listMetafields(state, SHOP)).toEqual([]);

    const ok = await gql<SetResult>(state, SET, { metafields: many.slice(0, 25) });
    expect(ok.data!.metafieldsSet.metafields).toHaveLength(25);
  });

  it("limits json values to 128 KB and other types to 64 KB (TOO_LONG)", async () => {
    const { state } = makeShop();
    const json = (bytes: number) => JSON.stringify("x".repeat(bytes - 2));
    const okJson = await gql<SetResult>(state, SET, {
      metafields: [{ ownerId: SHOP, namespace: "$app", key: "big", type: "json", value: json(128 * 1024) }],
    });
    expect(okJson.data!.metafieldsSet.userErrors).toEqual([]);

    const tooBig = await gql<SetResult>(state, SET, {
      metafields: [{ ownerId: SHOP, namespace: "$app", key: "bigger", type: "json", value: json(128 * 1024 + 1) }],
    });
    expect(tooBig.data!.metafieldsSet.userErrors).toEqual([
      {
        field: ["metafields", "0", "value"],
        message: "Value is too long (maximum is 131072 bytes).",
        code: "TOO_LONG",
        elementIndex: 0,
      },
    ]);

    const text = await gql<SetResult>(state, SET, {
      metafields: [{ ownerId: SHOP, namespace: "$app", key: "text", type: "multi_line_text_field", value: "é".repeat(32 * 1024 + 1) }],
    });
    expect(text.data!.metafieldsSet.userErrors[0]?.code).toBe("TOO_LONG");
  });

  it("validates values against their type (INVALID_VALUE) and types (INVALID_TYPE, BLANK)", async () => {
    const { state } = makeShop();
    const res = await gql<SetResult>(state, SET, {
      metafields: [
        { ownerId: SHOP, namespace: "$app", key: "jj", type: "json", value: "{oops" },
        { ownerId: SHOP, namespace: "$app", key: "nn", type: "number_integer", value: "3.5" },
        { ownerId: SHOP, namespace: "$app", key: "bb", type: "boolean", value: "yes" },
        { ownerId: SHOP, namespace: "$app", key: "tt", type: "single_line_text_field", value: "two\nlines" },
        { ownerId: SHOP, namespace: "$app", key: "xx", type: "not_a_type", value: "1" },
        { ownerId: SHOP, namespace: "$app", key: "yy", value: "1" },
      ],
    });
    expect(res.data!.metafieldsSet.userErrors.map((e) => [e.elementIndex, e.code])).toEqual([
      [0, "INVALID_VALUE"],
      [1, "INVALID_VALUE"],
      [2, "INVALID_VALUE"],
      [3, "INVALID_VALUE"],
      [4, "INVALID_TYPE"],
      [5, "BLANK"],
    ]);
    expect(listMetafields(state, SHOP)).toEqual([]);
  });

  it("product references must name existing products: a list is a JSON array of at most 128 product GIDs", async () => {
    const { state } = makeShop();
    const P = "gid://shopify/Product/1001";
    const ok = await gql<SetResult>(state, SET, {
      metafields: [
        { ownerId: P, namespace: "$app", key: "picks", type: "list.product_reference", value: '["gid://shopify/Product/1002","gid://shopify/Product/1005"]' },
        { ownerId: P, namespace: "$app", key: "pick", type: "product_reference", value: "gid://shopify/Product/1002" },
      ],
    });
    expect(ok.data!.metafieldsSet.userErrors).toEqual([]);
    expect(getMetafield(state, P, "$app", "picks")).toMatchObject({ type: "list.product_reference" });

    const bad = await gql<SetResult>(state, SET, {
      metafields: [
        { ownerId: P, namespace: "$app", key: "l1", type: "list.product_reference", value: '["gid://shopify/Product/999999"]' },
        { ownerId: P, namespace: "$app", key: "l2", type: "list.product_reference", value: '"gid://shopify/Product/1002"' },
        { ownerId: P, namespace: "$app", key: "l3", type: "list.product_reference", value: '["gid://shopify/ProductVariant/2001"]' },
        { ownerId: P, namespace: "$app", key: "l4", type: "list.product_reference", value: JSON.stringify(Array(129).fill("gid://shopify/Product/1002")) },
        { ownerId: P, namespace: "$app", key: "l5", type: "list.product_reference", value: "[oops" },
        { ownerId: P, namespace: "$app", key: "p1", type: "product_reference", value: "1002" },
      ],
    });
    const errors = bad.data!.metafieldsSet.userErrors;
    expect(errors.map((e) => [e.elementIndex, e.code])).toEqual([0, 1, 2, 3, 4, 5].map((i) => [i, "INVALID_VALUE"]));
    expect(errors[0]!.message).toMatch(/does not exist/);
    expect(errors[3]!.message).toMatch(/maximum is 128/);
    expect(getMetafield(state, P, "$app", "l1")).toBeNull();
  });

  it("refuses unknown owners, another app's reserved namespace, and bad keys", async () => {
    const { state } = makeShop();
    const res = await gql<SetResult>(state, SET, {
      metafields: [
        { ownerId: "gid://shopify/Product/999999", namespace: "$app", key: "k1", type: "boolean", value: "true" },
        { ownerId: SHOP, namespace: "app--42", key: "k2", type: "boolean", value: "true" },
        { ownerId: SHOP, namespace: "$app", key: "k", type: "boolean", value: "true" },
        { ownerId: SHOP, namespace: "$app", key: "bad key", type: "boolean", value: "true" },
      ],
    });
    expect(res.data!.metafieldsSet.userErrors.map((e) => [e.field.join("."), e.code])).toEqual([
      ["metafields.0.ownerId", "INVALID"],
      ["metafields.1.namespace", "APP_NOT_AUTHORIZED"],
      ["metafields.2.key", "TOO_SHORT"],
      ["metafields.3.key", "INVALID"],
    ]);
  });

  it("is atomic: one bad input means nothing is written", async () => {
    const { state } = makeShop();
    const res = await gql<SetResult>(state, SET, {
      metafields: [
        { ownerId: SHOP, namespace: "$app", key: "good", type: "boolean", value: "true" },
        { ownerId: SHOP, namespace: "$app", key: "bad", type: "boolean", value: "maybe" },
      ],
    });
    expect(res.data!.metafieldsSet.userErrors).toHaveLength(1);
    expect(getMetafield(state, SHOP, "$app", "good")).toBeNull();
  });

  it("can also write product and discount-owned metafields", async () => {
    const { state } = makeShop();
    const res = await gql<SetResult>(state, SET, {
      metafields: [{ ownerId: "gid://shopify/Product/1001", namespace: "$app", key: "badge", type: "single_line_text_field", value: "Best seller" }],
    });
    expect(res.data!.metafieldsSet.userErrors).toEqual([]);
    const read = await gql(state, `{ product(id: "gid://shopify/Product/1001") { metafield(namespace: "$app", key: "badge") { value owner { ... on Product { handle } } } } }`);
    expect(read.data.product.metafield).toEqual({ value: "Best seller", owner: { handle: "aurora-phone" } });
  });
});

describe("compareDigest (compare-and-set)", () => {
  async function writeConfig(state: ReturnType<typeof makeShop>["state"], value: string, compareDigest?: string | null) {
    const input: Record<string, unknown> = { ownerId: INSTALLATION, namespace: "$app", key: "ruleset", type: "json", value };
    if (compareDigest !== undefined) input.compareDigest = compareDigest;
    return (await gql<SetResult>(state, SET, { metafields: [input] })).data!.metafieldsSet;
  }

  it("writes when the digest matches the stored value", async () => {
    const { state } = makeShop();
    const created = await writeConfig(state, '{"revision":1}', null);
    expect(created.userErrors).toEqual([]);
    const updated = await writeConfig(state, '{"revision":2}', created.metafields[0]!.compareDigest);
    expect(updated.userErrors).toEqual([]);
    expect(getMetafieldJson(state, INSTALLATION, "$app", "ruleset")).toEqual({ revision: 2 });
  });

  it("refuses a stale digest with STALE_OBJECT and keeps the newer value", async () => {
    const { state } = makeShop();
    const v1 = await writeConfig(state, '{"revision":1}');
    await writeConfig(state, '{"revision":2}', v1.metafields[0]!.compareDigest); // someone else publishes
    const stale = await writeConfig(state, '{"revision":3}', v1.metafields[0]!.compareDigest);
    expect(stale.metafields).toEqual([]);
    expect(stale.userErrors).toEqual([
      {
        field: ["metafields", "0", "compareDigest"],
        message: "The resource has been updated since it was loaded. Try again with an updated `compareDigest` value.",
        code: "STALE_OBJECT",
        elementIndex: 0,
      },
    ]);
    expect(getMetafieldJson(state, INSTALLATION, "$app", "ruleset")).toEqual({ revision: 2 });
  });

  it("compareDigest: null means 'only if it does not exist yet'", async () => {
    const { state } = makeShop();
    expect((await writeConfig(state, "1", null)).userErrors).toEqual([]);
    expect((await writeConfig(state, "2", null)).userErrors[0]?.code).toBe("STALE_OBJECT");
  });

  it("a malformed digest is INVALID_COMPARE_DIGEST; omitting it opts out of the check", async () => {
    const { state } = makeShop();
    await writeConfig(state, "1");
    expect((await writeConfig(state, "2", "not-a-digest")).userErrors[0]?.code).toBe("INVALID_COMPARE_DIGEST");
    expect((await writeConfig(state, "3")).userErrors).toEqual([]);
  });
});

describe("metafieldsDelete and metafieldDefinitionCreate", () => {
  it("deletes by owner, namespace and key, answering null for what did not exist", async () => {
    const { state } = makeShop();
    await gql(state, SET, { metafields: [{ ownerId: SHOP, namespace: "$app", key: "gone", type: "boolean", value: "true" }] });
    const res = await gql(
      state,
      `mutation { metafieldsDelete(metafields: [
          { ownerId: "gid://shopify/Shop/1", namespace: "$app", key: "gone" },
          { ownerId: "gid://shopify/Shop/1", namespace: "$app", key: "never" }
        ]) { deletedMetafields { ownerId namespace key } userErrors { field message } } }`,
    );
    expect(res.data.metafieldsDelete).toEqual({
      deletedMetafields: [{ ownerId: SHOP, namespace: "app--7001", key: "gone" }, null],
      userErrors: [],
    });
    expect(getMetafield(state, SHOP, "$app", "gone")).toBeNull();
  });

  it("creates a definition once; the same key again is TAKEN; values must then match its type", async () => {
    const { state } = makeShop();
    const CREATE = `mutation ($d: MetafieldDefinitionInput!) { metafieldDefinitionCreate(definition: $d) {
      createdDefinition { id name namespace key ownerType type { name category } }
      userErrors { field message code } } }`;
    const d = { name: "Offer badge", namespace: "$app", key: "badge", type: "single_line_text_field", ownerType: "PRODUCT" };
    const first = await gql(state, CREATE, { d });
    expect(first.data.metafieldDefinitionCreate.createdDefinition).toMatchObject({
      namespace: "app--7001",
      key: "badge",
      ownerType: "PRODUCT",
      type: { name: "single_line_text_field", category: "TEXT" },
    });
    const again = await gql(state, CREATE, { d });
    expect(again.data.metafieldDefinitionCreate.userErrors[0].code).toBe("TAKEN");

    const wrongType = await gql<SetResult>(state, SET, {
      metafields: [{ ownerId: "gid://shopify/Product/1001", namespace: "$app", key: "badge", type: "json", value: "{}" }],
    });
    expect(wrongType.data!.metafieldsSet.userErrors[0]?.code).toBe("INVALID_TYPE");
    const typeFromDefinition = await gql<SetResult>(state, SET, {
      metafields: [{ ownerId: "gid://shopify/Product/1001", namespace: "$app", key: "badge", value: "New" }],
    });
    expect(typeFromDefinition.data!.metafieldsSet.metafields[0]?.type).toBe("single_line_text_field");

    const list = await gql(state, `{ metafieldDefinitions(first: 5, ownerType: PRODUCT) { nodes { key metafieldsCount } } }`);
    expect(list.data.metafieldDefinitions.nodes).toEqual([{ key: "badge", metafieldsCount: 1 }]);
  });
});
