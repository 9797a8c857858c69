/**
 * Code discounts in the local shop's Admin API double: `discountCodeBasicCreate`,
 * `codeDiscountNode(id)` and `codeDiscountNodeByCode(code)` (API 2026-10), and what the
 * local checkout needs to honour a code (`redeemableCode`, `recordCodeUse`). As on Shopify:
 * - create requires a title, a code, `startsAt`, `customerGets` (one value: a percentage
 *   in (0, 1] or a positive amount; the items: all, or products/variants that exist) and
 *   `context` (or the deprecated `customerSelection`); `endsAt` must be after `startsAt`;
 *   `usageLimit` at least 1; a code is unique in the shop, case-insensitively (TAKEN);
 *   customers named in the context must exist (the local shop has none: it sells to
 *   guests, so such a context answers INVALID);
 * - a code applies at checkout from `startsAt` to `endsAt`, while its uses are under
 *   `usageLimit`, once per buyer when `appliesOncePerCustomer`, to the items it names only;
 * - `asyncUsageCount` counts completed orders that used it.
 * Not modelled: collections as items, minimum requirements, `discountOnQuantity` (BXGY
 * only), customer segments and markets, several codes per discount, `discountNodes`
 * listing code discounts (it lists the automatic app discounts only, as Cartlift reads it).
 * Kept in memory beside the shop state.
 */
import { getProduct, getShop, getVariant, nowIso, toDateTimeString, type LocalShopState, type OrderRecord } from "../state";
import { paginate, type ConnectionArgs } from "./connection";

export interface CodeDiscountRecord {
  /** gid://shopify/DiscountCodeNode/<n> */
  id: string;
  title: string;
  code: string;
  startsAt: string;
  endsAt: string | null;
  createdAt: string;
  updatedAt: string;
  usageLimit: number | null;
  appliesOncePerCustomer: boolean;
  /** Orders that used it, and who placed them (email or customer id). */
  usageCount: number;
  usedBy: string[];
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
  value: { percentage: number } | { amount: string; appliesOnEachItem: boolean };
  items: { all: true } | { productIds: string[]; variantIds: string[] };
  context: { all: true } | { customerIds: string[] };
}

interface Store {
  discounts: CodeDiscountRecord[];
  next: number;
}
const stores = new WeakMap<LocalShopState, Store>();
function store(state: LocalShopState): Store {
  let s = stores.get(state);
  if (!s) stores.set(state, (s = { discounts: [], next: 90001 }));
  return s;
}

export function listCodeDiscounts(state: LocalShopState): CodeDiscountRecord[] {
  return store(state).discounts;
}

export function findCodeDiscount(state: LocalShopState, code: string): CodeDiscountRecord | undefined {
  const wanted = code.trim().toLowerCase();
  return store(state).discounts.find((d) => d.code.toLowerCase() == wanted);
}

export function codeDiscountStatus(d: CodeDiscountRecord, now: number): "ACTIVE" | "EXPIRED" | "SCHEDULED" {
  if (Date.parse(d.startsAt) > now) return "SCHEDULED";
  if ((d.endsAt && Date.parse(d.endsAt) <= now) || (d.usageLimit !== null && d.usageCount >= d.usageLimit)) return "EXPIRED";
  return "ACTIVE";
}

/** Whether a code discount takes this variant (of this product). */
export function codeDiscountApplies(d: CodeDiscountRecord, productId: string, variantId: string): boolean {
  return "all" in d.items || d.items.productIds.includes(productId) || d.items.variantIds.includes(variantId);
}

/** The discount a buyer may use now, or why not (Shopify's checkout messages). */
export function redeemableCode(
  state: LocalShopState,
  code: string,
  buyer: { email?: string; customerId?: string },
): { ok: true; discount: CodeDiscountRecord } | { ok: false; message: string } {
  const d = findCodeDiscount(state, code);
  const invalid = { ok: false as const, message: "Enter a valid discount code" };
  if (!d) return invalid;
  const now = state.now();
  if (Date.parse(d.startsAt) > now || (d.endsAt && Date.parse(d.endsAt) <= now)) return { ok: false, message: `${d.code} discount code isn’t available right now` };
  if (d.usageLimit !== null && d.usageCount >= d.usageLimit) return { ok: false, message: `${d.code} discount code has reached its usage limit` };
  if ("customerIds" in d.context && !(buyer.customerId && d.context.customerIds.includes(buyer.customerId)))
    return { ok: false, message: `${d.code} discount code isn’t available to you right now` };
  const who = buyer.customerId ?? buyer.email?.toLowerCase();
  if (d.appliesOncePerCustomer && who && d.usedBy.includes(who)) return { ok: false, message: `${d.code} discount code has already been used` };
  return { ok: true, discount: d };
}

/** A completed order used the code. */
export function recordCodeUse(state: LocalShopState, d: CodeDiscountRecord, buyer: { email?: string; customerId?: string }): void {
  d.usageCount += 1;
  const who = buyer.customerId ?? buyer.email?.toLowerCase();
  if (who) d.usedBy.push(who);
  d.updatedAt = nowIso(state);
}

// ---------------------------------------------------------------------------------------
// Schema additions (Shopify's shapes, from the 2026-10 introspection)
// ---------------------------------------------------------------------------------------

const PAGE = "first: Int, after: String, last: Int, before: String, reverse: Boolean = false";

export const CODE_DISCOUNT_SDL = /* GraphQL */ `
type DiscountPercentage { percentage: Float! }
type DiscountAmount { amount: MoneyV2! appliesOnEachItem: Boolean! }
union DiscountCustomerGetsValue = DiscountAmount | DiscountPercentage
type AllDiscountItems { allItems: Boolean! }
type DiscountProducts {
  products(${PAGE}): ProductConnection!
  productVariants(${PAGE}): ProductVariantConnection!
}
union DiscountItems = AllDiscountItems | DiscountProducts
type DiscountCustomerGets {
  appliesOnOneTimePurchase: Boolean!
  appliesOnSubscription: Boolean!
  items: DiscountItems!
  value: DiscountCustomerGetsValue!
}
type DiscountBuyerSelectionAll { all: DiscountBuyerSelection! }
union DiscountContext = DiscountBuyerSelectionAll
type DiscountRedeemCode { asyncUsageCount: Int! code: String! id: ID! }
type DiscountRedeemCodeEdge { cursor: String! node: DiscountRedeemCode! }
type DiscountRedeemCodeConnection { edges: [DiscountRedeemCodeEdge!]! nodes: [DiscountRedeemCode!]! pageInfo: PageInfo! }
type DiscountCodeBasic {
  title: String!
  status: DiscountStatus!
  startsAt: DateTime!
  endsAt: DateTime
  createdAt: DateTime!
  updatedAt: DateTime!
  usageLimit: Int
  appliesOncePerCustomer: Boolean!
  asyncUsageCount: Int!
  combinesWith: DiscountCombinesWith!
  customerGets: DiscountCustomerGets!
  context: DiscountContext!
  codes(${PAGE}, query: String, savedSearchId: ID, sortKey: DiscountCodeSortKeys = ID): DiscountRedeemCodeConnection!
}
enum DiscountCodeSortKeys { CODE CREATED_AT ID RELEVANCE }
union DiscountCode = DiscountCodeBasic
type DiscountCodeNode implements Node {
  id: ID!
  codeDiscount: DiscountCode!
}
input DiscountAmountInput { amount: Decimal appliesOnEachItem: Boolean }
input DiscountCustomerGetsValueInput { discountAmount: DiscountAmountInput percentage: Float }
input DiscountProductsInput { productsToAdd: [ID!] productsToRemove: [ID!] productVariantsToAdd: [ID!] productVariantsToRemove: [ID!] }
input DiscountItemsInput { all: Boolean products: DiscountProductsInput }
input DiscountCustomerGetsInput { appliesOnOneTimePurchase: Boolean appliesOnSubscription: Boolean items: DiscountItemsInput value: DiscountCustomerGetsValueInput }
input DiscountCustomersInput { add: [ID!] remove: [ID!] }
extend input DiscountContextInput { customers: DiscountCustomersInput }
input DiscountCodeBasicInput {
  title: String
  code: String
  startsAt: DateTime
  endsAt: DateTime
  usageLimit: Int
  appliesOncePerCustomer: Boolean
  combinesWith: DiscountCombinesWithInput
  context: DiscountContextInput
  customerGets: DiscountCustomerGetsInput
}
type DiscountCodeBasicCreatePayload { codeDiscountNode: DiscountCodeNode userErrors: [DiscountUserError!]! }
type Customer implements Node { id: ID! }
extend type Order {
  customer: Customer
  discountCodes: [String!]!
}
extend type QueryRoot {
  codeDiscountNode(id: ID!): DiscountCodeNode
  codeDiscountNodeByCode(code: String!): DiscountCodeNode
}
extend type Mutation {
  discountCodeBasicCreate(basicCodeDiscount: DiscountCodeBasicInput!): DiscountCodeBasicCreatePayload
}
`;

// ---------------------------------------------------------------------------------------
// Creating
// ---------------------------------------------------------------------------------------

type DiscountUserError = { field: string[]; message: string; code: string; extraInfo: null };
const err = (field: string[], message: string, code: string): DiscountUserError => ({ field: ["basicCodeDiscount", ...field], message, code, extraInfo: null });
const isDate = (s: unknown): s is string => typeof s == "string" && Number.isFinite(Date.parse(s));

export function createCodeDiscount(state: LocalShopState, input: Record<string, any>): { discount: CodeDiscountRecord | null; userErrors: DiscountUserError[] } {
  const errors: DiscountUserError[] = [];
  const title = typeof input.title == "string" ? input.title.trim() : "";
  if (!title) errors.push(err(["title"], "Title can't be blank", "BLANK"));
  else if (title.length > 255) errors.push(err(["title"], "Title is too long (maximum is 255 characters)", "TOO_LONG"));
  const code = typeof input.code == "string" ? input.code.trim() : "";
  if (!code) errors.push(err(["code"], "Code can't be blank", "BLANK"));
  else if (code.length > 255) errors.push(err(["code"], "Code is too long (maximum is 255 characters)", "TOO_LONG"));
  else if (/[\r\n]/.test(code)) errors.push(err(["code"], "Code cannot contain newline characters.", "INVALID"));
  else if (findCodeDiscount(state, code)) errors.push(err(["code"], "Code must be unique. Please try a different code.", "TAKEN"));
  if (!isDate(input.startsAt)) errors.push(err(["startsAt"], "Starts at can't be blank", "BLANK"));
  if (input.endsAt != null && (!isDate(input.endsAt) || (isDate(input.startsAt) && Date.parse(input.endsAt) <= Date.parse(input.startsAt))))
    errors.push(err(["endsAt"], "Ends at needs to be after starts_at", "INVALID"));
  if (input.usageLimit != null && !(Number.isInteger(input.usageLimit) && input.usageLimit >= 1))
    errors.push(err(["usageLimit"], "Usage limit must be greater than 0", "GREATER_THAN"));

  let value: CodeDiscountRecord["value"] | undefined;
  let items: CodeDiscountRecord["items"] | undefined;
  const gets = input.customerGets;
  if (!gets) errors.push(err(["customerGets"], "Customer gets can't be blank", "BLANK"));
  else {
    const v = gets.value ?? {};
    const given = ["percentage", "discountAmount"].filter((k) => v[k] != null);
    if (given.length != 1) errors.push(err(["customerGets", "value"], "Only one of percentage or discount amount is allowed", given.length ? "TOO_MANY_ARGUMENTS" : "BLANK"));
    else if (v.percentage != null) {
      if (!(v.percentage > 0 && v.percentage <= 1)) errors.push(err(["customerGets", "value", "percentage"], "Value must be between 0.0 and 1.0", "VALUE_OUTSIDE_RANGE"));
      else value = { percentage: v.percentage };
    } else {
      const amount = Number(v.discountAmount.amount);
      if (!(amount > 0)) errors.push(err(["customerGets", "value", "discountAmount", "amount"], "Value must be greater than 0", "GREATER_THAN"));
      else value = { amount: String(v.discountAmount.amount), appliesOnEachItem: v.discountAmount.appliesOnEachItem === true };
    }
    const i = gets.items ?? {};
    if (i.all === true && !i.products) items = { all: true };
    else if (i.products && i.all == null) {
      const productIds: string[] = i.products.productsToAdd ?? [];
      const variantIds: string[] = i.products.productVariantsToAdd ?? [];
      const missing = [...productIds.filter((id) => !getProduct(state, id)), ...variantIds.filter((id) => !getVariant(state, id))];
      if (missing.length) errors.push(err(["customerGets", "items"], `The following items do not exist: ${missing.join(", ")}`, "INVALID"));
      else if (!productIds.length && !variantIds.length) errors.push(err(["customerGets", "items"], "Items can't be blank", "BLANK"));
      else items = { productIds, variantIds };
    } else errors.push(err(["customerGets", "items"], "Specify all items or the products they apply to", "INVALID"));
  }

  let context: CodeDiscountRecord["context"] | undefined;
  if (input.context?.all === "ALL") context = { all: true };
  else if (input.context?.customers) {
    const ids: string[] = input.context.customers.add ?? [];
    // The local shop has no customer records: every named customer is unknown.
    if (!ids.length) errors.push(err(["context", "customers"], "Customers can't be blank", "BLANK"));
    else errors.push(err(["context", "customers", "add"], `Customer does not exist: ${ids.join(", ")}`, "INVALID"));
  } else errors.push(err(["context"], "Context can't be blank", "BLANK"));

  if (errors.length || !value || !items || !context) return { discount: null, userErrors: errors };
  const s = store(state);
  const ts = nowIso(state);
  const discount: CodeDiscountRecord = {
    id: `gid://shopify/DiscountCodeNode/${s.next++}`,
    title,
    code,
    startsAt: toDateTimeString(Date.parse(input.startsAt)),
    endsAt: input.endsAt ? toDateTimeString(Date.parse(input.endsAt)) : null,
    createdAt: ts,
    updatedAt: ts,
    usageLimit: input.usageLimit ?? null,
    appliesOncePerCustomer: input.appliesOncePerCustomer === true,
    usageCount: 0,
    usedBy: [],
    combinesWith: {
      orderDiscounts: input.combinesWith?.orderDiscounts ?? false,
      productDiscounts: input.combinesWith?.productDiscounts ?? false,
      shippingDiscounts: input.combinesWith?.shippingDiscounts ?? false,
    },
    value,
    items,
    context,
  };
  s.discounts.push(discount);
  return { discount, userErrors: [] };
}

// ---------------------------------------------------------------------------------------
// Resolvers
// ---------------------------------------------------------------------------------------

interface Ctx {
  state: LocalShopState;
}

const node = (d: CodeDiscountRecord) => ({ __typename: "DiscountCodeNode", id: d.id, codeDiscount: { ...d, __typename: "DiscountCodeBasic" } });
const page = (args: ConnectionArgs): ConnectionArgs => ({ ...args, first: args.first ?? (args.last == null ? 50 : undefined) });

export const codeDiscountResolvers = {
  QueryRoot: {
    codeDiscountNode: (_p: unknown, args: { id: string }, ctx: Ctx) => {
      const d = store(ctx.state).discounts.find((x) => x.id == args.id);
      return d ? node(d) : null;
    },
    codeDiscountNodeByCode: (_p: unknown, args: { code: string }, ctx: Ctx) => {
      const d = findCodeDiscount(ctx.state, args.code);
      return d ? node(d) : null;
    },
  },
  Mutation: {
    discountCodeBasicCreate: (_p: unknown, args: { basicCodeDiscount: Record<string, any> }, ctx: Ctx) => {
      const { discount, userErrors } = createCodeDiscount(ctx.state, args.basicCodeDiscount);
      return { codeDiscountNode: discount && node(discount), userErrors };
    },
  },
  DiscountCodeBasic: {
    status: (d: CodeDiscountRecord, _a: unknown, ctx: Ctx) => codeDiscountStatus(d, ctx.state.now()),
    asyncUsageCount: (d: CodeDiscountRecord) => d.usageCount,
    customerGets: (d: CodeDiscountRecord, _a: unknown, ctx: Ctx) => ({
      appliesOnOneTimePurchase: true,
      appliesOnSubscription: false,
      items: "all" in d.items ? { __typename: "AllDiscountItems", allItems: true } : { __typename: "DiscountProducts", ...d.items },
      value:
        "percentage" in d.value
          ? { __typename: "DiscountPercentage", percentage: d.value.percentage }
          : { __typename: "DiscountAmount", amount: { amount: d.value.amount, currencyCode: getShop(ctx.state).currencyCode }, appliesOnEachItem: d.value.appliesOnEachItem },
    }),
    context: () => ({ __typename: "DiscountBuyerSelectionAll", all: "ALL" }),
    codes: (d: CodeDiscountRecord, args: ConnectionArgs) =>
      paginate([{ id: `gid://shopify/DiscountRedeemCode/${d.id.split("/").pop()}`, code: d.code, asyncUsageCount: d.usageCount }], page(args), (c) => c.id),
  },
  // The local shop sells to guests: an order has no customer; it keeps the codes it used.
  Order: {
    customer: () => null,
    discountCodes: (o: OrderRecord) => o.discountCodes ?? [],
  },
  DiscountProducts: {
    products: (p: { productIds: string[] }, args: ConnectionArgs, ctx: Ctx) =>
      paginate(p.productIds.map((id) => getProduct(ctx.state, id)).filter((x) => x != null), page(args), (x) => x.id),
    productVariants: (p: { variantIds: string[] }, args: ConnectionArgs, ctx: Ctx) =>
      paginate(p.variantIds.map((id) => getVariant(ctx.state, id)).filter((x) => x != null), page(args), (x) => x.id),
  },
};
