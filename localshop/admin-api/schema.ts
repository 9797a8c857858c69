/**
 * The local shop's Admin GraphQL schema IS Shopify's: the Admin API 2026-10 introspection
 * that `@shopify/dev-mcp` ships (see ./shopify-introspection.ts). Every document, argument,
 * variable and enum value is validated by Shopify's own types, so the double can never
 * accept what Shopify refuses.
 *
 * The SDL below declares the SUBSET the double serves (what Cartlift and its tests use),
 * with Shopify's names, types and nullability. It is checked against the real schema when
 * the schema is built (`servedSubsetProblems`): a served field whose type or arguments
 * differ from Shopify's is a build error. A field Shopify has and the double does not serve
 * validates, and answers with a clear `LOCAL_SHOP_UNSERVED` error at execution.
 *
 * Deliberate differences from Shopify's behaviour (never its types):
 * - Exchange rates: real Shopify converts through Markets (automatic rates, or a market's
 *   manual rate). The double reports its fixed rates as `Shop.currencySettings.manualRate`
 *   (a real field; like Shopify, the list leaves out the shop's own currency).
 * - `Discount`/`DiscountAutomatic` values are only ever `DiscountAutomaticApp`.
 */
import {
  buildClientSchema,
  buildSchema,
  GraphQLError,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  isUnionType,
  type GraphQLField,
  type GraphQLSchema,
} from "graphql";
import { ADMIN_API_VERSION, readShopifyIntrospection } from "./shopify-introspection";

const PAGE = "first: Int, after: String, last: Int, before: String, reverse: Boolean = false";
const METAFIELD_FIELDS = `
  "A custom field, including its namespace and key, that's associated with a Shopify resource."
  metafield(namespace: String, key: String!): Metafield
  "A list of custom fields that a merchant associates with a Shopify resource."
  metafields(namespace: String, keys: [String!], ${PAGE}): MetafieldConnection!`;

export const ADMIN_SCHEMA_SDL = /* GraphQL */ `
scalar DateTime
scalar Decimal
scalar Money
scalar URL
scalar HTML
scalar JSON
scalar UnsignedInt64
scalar FormattedString

interface Node {
  id: ID!
}

interface HasMetafields {
  ${METAFIELD_FIELDS}
}

interface DisplayableError {
  field: [String!]
  message: String!
}

type UserError implements DisplayableError {
  field: [String!]
  message: String!
}

type PageInfo {
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
  endCursor: String
}

enum CountPrecision { AT_LEAST EXACT }

type Count {
  count: Int!
  precision: CountPrecision!
}

enum CurrencyCode { USD EUR JPY KRW GBP CAD AUD CHF BRL AMD MXN }

enum CountryCode { US CA MX GB IE DE FR ES IT NL PT AT BE FI JP KR BR AM AU CH }

type MoneyV2 {
  amount: Decimal!
  currencyCode: CurrencyCode!
}

type MoneyBag {
  shopMoney: MoneyV2!
  presentmentMoney: MoneyV2!
}

type Attribute {
  key: String!
  value: String
}

# ---------------------------------------------------------------- shop

type Shop implements Node & HasMetafields {
  id: ID!
  name: String!
  email: String!
  contactEmail: String!
  myshopifyDomain: String!
  url: URL!
  primaryDomain: Domain!
  currencyCode: CurrencyCode!
  enabledPresentmentCurrencies: [CurrencyCode!]!
  currencyFormats: CurrencyFormats!
  currencySettings(${PAGE}): CurrencySettingConnection!
  ianaTimezone: String!
  plan: ShopPlan!
  ${METAFIELD_FIELDS}
}

type ShopPlan {
  publicDisplayName: String!
  partnerDevelopment: Boolean!
  shopifyPlus: Boolean!
}

type Domain implements Node {
  id: ID!
  host: String!
  url: URL!
  sslEnabled: Boolean!
}

type CurrencyFormats {
  moneyFormat: FormattedString!
  moneyInEmailsFormat: String!
  moneyWithCurrencyFormat: FormattedString!
  moneyWithCurrencyInEmailsFormat: String!
}

type CurrencySetting {
  currencyCode: CurrencyCode!
  currencyName: String!
  enabled: Boolean!
  manualRate: Decimal
  rateUpdatedAt: DateTime
}

type CurrencySettingEdge { cursor: String! node: CurrencySetting! }
type CurrencySettingConnection { edges: [CurrencySettingEdge!]! nodes: [CurrencySetting!]! pageInfo: PageInfo! }

type ShopLocale {
  locale: String!
  name: String!
  primary: Boolean!
  published: Boolean!
}

# ---------------------------------------------------------------- app

type App implements Node {
  id: ID!
  title: String!
  handle: String
  apiKey: String!
  installation: AppInstallation
}

type AccessScope {
  handle: String!
  description: String!
}

type AppInstallation implements Node & HasMetafields {
  id: ID!
  app: App!
  launchUrl: URL!
  accessScopes: [AccessScope!]!
  ${METAFIELD_FIELDS}
}

# ---------------------------------------------------------------- catalog

enum ProductStatus { ACTIVE ARCHIVED DRAFT }
enum ProductSortKeys { CREATED_AT ID INVENTORY_TOTAL PRODUCT_TYPE PUBLISHED_AT RELEVANCE TITLE UPDATED_AT VENDOR }
enum ProductVariantSortKeys { FULL_TITLE ID INVENTORY_QUANTITY NAME POSITION RELEVANCE SKU TITLE }
enum CollectionSortKeys { ID RELEVANCE TITLE UPDATED_AT }
enum ProductCollectionSortKeys { BEST_SELLING COLLECTION_DEFAULT CREATED ID MANUAL PRICE RELEVANCE TITLE }
enum ProductImageSortKeys { CREATED_AT ID POSITION }
enum ProductVariantInventoryPolicy { CONTINUE DENY }
enum CollectionSortOrder { ALPHA_ASC ALPHA_DESC BEST_SELLING CREATED CREATED_DESC MANUAL PRICE_ASC PRICE_DESC }
enum CropRegion { BOTTOM CENTER LEFT RIGHT TOP }
enum ImageContentType { JPG PNG WEBP }
enum MediaContentType { EXTERNAL_VIDEO IMAGE MODEL_3D VIDEO }
enum MediaStatus { FAILED PROCESSING READY UPLOADED }

input ImageTransformInput {
  crop: CropRegion
  maxWidth: Int
  maxHeight: Int
  scale: Int = 1
  preferredContentType: ImageContentType
}

input ProductIdentifierInput {
  id: ID
  handle: String
}

input CollectionIdentifierInput {
  id: ID
  handle: String
}

input ContextualPricingContext {
  country: CountryCode
  companyLocationId: ID
  locationId: ID
}

type Image {
  id: ID
  url(transform: ImageTransformInput): URL!
  altText: String
  width: Int
  height: Int
}

type ImageEdge { cursor: String! node: Image! }
type ImageConnection { edges: [ImageEdge!]! nodes: [Image!]! pageInfo: PageInfo! }

enum MediaPreviewImageStatus { FAILED PROCESSING READY UPLOADED }

type MediaPreviewImage {
  image: Image
  status: MediaPreviewImageStatus!
}

interface Media {
  id: ID!
  alt: String
  mediaContentType: MediaContentType!
  status: MediaStatus!
  preview: MediaPreviewImage
}

type MediaImage implements Node & Media {
  id: ID!
  alt: String
  mediaContentType: MediaContentType!
  status: MediaStatus!
  preview: MediaPreviewImage
  image: Image
}

type MediaEdge { cursor: String! node: Media! }
type MediaConnection { edges: [MediaEdge!]! nodes: [Media!]! pageInfo: PageInfo! }

type ProductOptionValue implements Node {
  id: ID!
  name: String!
  hasVariants: Boolean!
}

type ProductOption implements Node {
  id: ID!
  name: String!
  position: Int!
  values: [String!]!
  optionValues: [ProductOptionValue!]!
}

type ProductPriceRangeV2 {
  minVariantPrice: MoneyV2!
  maxVariantPrice: MoneyV2!
}

type ProductCompareAtPriceRange {
  minVariantCompareAtPrice: MoneyV2!
  maxVariantCompareAtPrice: MoneyV2!
}

type Product implements Node & HasMetafields {
  id: ID!
  legacyResourceId: UnsignedInt64!
  title: String!
  handle: String!
  description(truncateAt: Int): String!
  descriptionHtml: HTML!
  vendor: String!
  productType: String!
  tags: [String!]!
  status: ProductStatus!
  createdAt: DateTime!
  updatedAt: DateTime!
  publishedAt: DateTime
  totalInventory: Int!
  tracksInventory: Boolean!
  hasOnlyDefaultVariant: Boolean!
  hasOutOfStockVariants: Boolean!
  onlineStoreUrl: URL
  featuredImage: Image
  featuredMedia: Media
  images(${PAGE}, sortKey: ProductImageSortKeys = POSITION): ImageConnection!
  media(${PAGE}): MediaConnection!
  priceRangeV2: ProductPriceRangeV2!
  compareAtPriceRange: ProductCompareAtPriceRange
  options(first: Int): [ProductOption!]!
  variants(${PAGE}, sortKey: ProductVariantSortKeys = POSITION): ProductVariantConnection!
  variantsCount: Count
  collections(${PAGE}, sortKey: CollectionSortKeys = ID, query: String): CollectionConnection!
  inCollection(id: ID!): Boolean!
  ${METAFIELD_FIELDS}
}

type ProductEdge { cursor: String! node: Product! }
type ProductConnection { edges: [ProductEdge!]! nodes: [Product!]! pageInfo: PageInfo! }

type SelectedOption {
  name: String!
  value: String!
}

type ProductVariantContextualPricing {
  price: MoneyV2!
  compareAtPrice: MoneyV2
}

type ProductVariant implements Node & HasMetafields {
  id: ID!
  legacyResourceId: UnsignedInt64!
  title: String!
  displayName: String!
  sku: String
  barcode: String
  price: Money!
  compareAtPrice: Money
  availableForSale: Boolean!
  sellableOnlineQuantity: Int!
  inventoryQuantity: Int
  inventoryPolicy: ProductVariantInventoryPolicy!
  selectedOptions: [SelectedOption!]!
  product: Product!
  image: Image
  media(${PAGE}): MediaConnection!
  position: Int!
  taxable: Boolean!
  createdAt: DateTime!
  updatedAt: DateTime!
  contextualPricing(context: ContextualPricingContext!): ProductVariantContextualPricing!
  ${METAFIELD_FIELDS}
}

type ProductVariantEdge { cursor: String! node: ProductVariant! }
type ProductVariantConnection { edges: [ProductVariantEdge!]! nodes: [ProductVariant!]! pageInfo: PageInfo! }

type Collection implements Node & HasMetafields {
  id: ID!
  legacyResourceId: UnsignedInt64!
  title: String!
  handle: String!
  description(truncateAt: Int): String!
  descriptionHtml: HTML!
  updatedAt: DateTime!
  sortOrder: CollectionSortOrder!
  image: Image
  products(${PAGE}, sortKey: ProductCollectionSortKeys = COLLECTION_DEFAULT): ProductConnection!
  productsCount: Count
  hasProduct(id: ID!): Boolean!
  ${METAFIELD_FIELDS}
}

type CollectionEdge { cursor: String! node: Collection! }
type CollectionConnection { edges: [CollectionEdge!]! nodes: [Collection!]! pageInfo: PageInfo! }

# ---------------------------------------------------------------- metafields

enum MetafieldOwnerType {
  API_PERMISSION
  ARTICLE
  BLOG
  CARTTRANSFORM
  COLLECTION
  COMPANY
  COMPANY_LOCATION
  CUSTOMER
  DELIVERY_CUSTOMIZATION
  DISCOUNT
  DRAFTORDER
  LOCATION
  MARKET
  ORDER
  PAGE
  PAYMENT_CUSTOMIZATION
  PRODUCT
  PRODUCTVARIANT
  SELLING_PLAN
  SHOP
  VALIDATION
}

type Metafield implements Node {
  id: ID!
  legacyResourceId: UnsignedInt64!
  namespace: String!
  key: String!
  type: String!
  value: String!
  jsonValue: JSON!
  compareDigest: String!
  createdAt: DateTime!
  updatedAt: DateTime!
  ownerType: MetafieldOwnerType!
  owner: HasMetafields!
  definition: MetafieldDefinition
}

type MetafieldEdge { cursor: String! node: Metafield! }
type MetafieldConnection { edges: [MetafieldEdge!]! nodes: [Metafield!]! pageInfo: PageInfo! }

input MetafieldsSetInput {
  ownerId: ID!
  namespace: String
  key: String!
  value: String!
  type: String
  compareDigest: String
}

enum MetafieldsSetUserErrorCode {
  APP_NOT_AUTHORIZED
  BLANK
  CAPABILITY_VIOLATION
  INCLUSION
  INTERNAL_ERROR
  INVALID
  INVALID_COMPARE_DIGEST
  INVALID_TYPE
  INVALID_VALUE
  LESS_THAN_OR_EQUAL_TO
  PRESENT
  STALE_OBJECT
  TAKEN
  TOO_LONG
  TOO_SHORT
}

type MetafieldsSetUserError implements DisplayableError {
  code: MetafieldsSetUserErrorCode
  elementIndex: Int
  field: [String!]
  message: String!
}

type MetafieldsSetPayload {
  metafields: [Metafield!]
  userErrors: [MetafieldsSetUserError!]!
}

input MetafieldIdentifierInput {
  ownerId: ID!
  namespace: String!
  key: String!
}

type MetafieldIdentifier {
  ownerId: ID!
  namespace: String!
  key: String!
}

type MetafieldsDeletePayload {
  deletedMetafields: [MetafieldIdentifier]
  userErrors: [UserError!]!
}

type MetafieldDefinitionType {
  name: String!
  category: String!
}

type MetafieldDefinition implements Node {
  id: ID!
  name: String!
  namespace: String!
  key: String!
  description: String
  ownerType: MetafieldOwnerType!
  type: MetafieldDefinitionType!
  pinnedPosition: Int
  metafieldsCount: Int!
}

type MetafieldDefinitionEdge { cursor: String! node: MetafieldDefinition! }
type MetafieldDefinitionConnection { edges: [MetafieldDefinitionEdge!]! nodes: [MetafieldDefinition!]! pageInfo: PageInfo! }

enum MetafieldDefinitionSortKeys { ID NAME PINNED_POSITION RELEVANCE }
enum MetafieldAdminAccessInput { MERCHANT_READ MERCHANT_READ_WRITE }
enum MetafieldStorefrontAccessInput { NONE PUBLIC_READ }
enum MetafieldCustomerAccountAccessInput { NONE READ READ_WRITE }

input MetafieldAccessInput {
  admin: MetafieldAdminAccessInput
  storefront: MetafieldStorefrontAccessInput
  customerAccount: MetafieldCustomerAccountAccessInput
}

input MetafieldDefinitionValidationInput {
  name: String!
  value: String!
}

input MetafieldDefinitionInput {
  name: String!
  namespace: String
  key: String!
  type: String!
  ownerType: MetafieldOwnerType!
  description: String
  pin: Boolean = false
  validations: [MetafieldDefinitionValidationInput!]
  access: MetafieldAccessInput
}

input MetafieldDefinitionIdentifierInput {
  ownerType: MetafieldOwnerType!
  namespace: String
  key: String!
}

enum MetafieldDefinitionCreateUserErrorCode {
  BLANK
  INCLUSION
  INVALID
  INVALID_OPTION
  LIMIT_EXCEEDED
  PRESENT
  RESERVED_NAMESPACE_KEY
  TAKEN
  TOO_LONG
  TOO_SHORT
  UNSTRUCTURED_ALREADY_EXISTS
}

type MetafieldDefinitionCreateUserError implements DisplayableError {
  code: MetafieldDefinitionCreateUserErrorCode
  elementIndex: Int
  field: [String!]
  message: String!
}

type MetafieldDefinitionCreatePayload {
  createdDefinition: MetafieldDefinition
  userErrors: [MetafieldDefinitionCreateUserError!]!
}

input MetafieldInput {
  id: ID
  namespace: String
  key: String
  value: String
  type: String
}

# ---------------------------------------------------------------- functions and discounts

type ShopifyFunction {
  id: String!
  handle: String!
  title: String!
  description: String
  apiType: String!
  apiVersion: String!
  appKey: String!
  app: App!
  useCreationUi: Boolean!
}

type ShopifyFunctionEdge { cursor: String! node: ShopifyFunction! }
type ShopifyFunctionConnection { edges: [ShopifyFunctionEdge!]! nodes: [ShopifyFunction!]! pageInfo: PageInfo! }

enum DiscountClass { ORDER PRODUCT SHIPPING }
enum MerchandiseDiscountClass { ORDER PRODUCT }
enum DiscountStatus { ACTIVE EXPIRED SCHEDULED }
enum DiscountSortKeys { CREATED_AT ENDS_AT ID RELEVANCE STARTS_AT TITLE UPDATED_AT }
enum AutomaticDiscountSortKeys { CREATED_AT ID }
enum DiscountBuyerSelection { ALL }

enum DiscountErrorCode {
  ACTIVE_PERIOD_OVERLAP
  BLANK
  CONFLICT
  DUPLICATE
  EQUAL_TO
  EXCEEDED_MAX
  GREATER_THAN
  GREATER_THAN_OR_EQUAL_TO
  IMPLICIT_DUPLICATE
  INCLUSION
  INTERNAL_ERROR
  INVALID
  INVALID_COMBINES_WITH_FOR_DISCOUNT_CLASS
  LESS_THAN
  LESS_THAN_OR_EQUAL_TO
  MAX_APP_DISCOUNTS
  MISSING_ARGUMENT
  PRESENT
  TAKEN
  TOO_LONG
  TOO_MANY_ARGUMENTS
  TOO_SHORT
  VALUE_OUTSIDE_RANGE
}

type DiscountUserError implements DisplayableError {
  code: DiscountErrorCode
  extraInfo: String
  field: [String!]
  message: String!
}

type DiscountCombinesWith {
  orderDiscounts: Boolean!
  productDiscounts: Boolean!
  shippingDiscounts: Boolean!
}

input DiscountCombinesWithInput {
  orderDiscounts: Boolean = false
  productDiscounts: Boolean = false
  shippingDiscounts: Boolean = false
}

input DiscountContextInput {
  all: DiscountBuyerSelection
}

type AppDiscountType {
  appKey: String!
  functionId: String!
  title: String!
  description: String
  discountClasses: [DiscountClass!]!
  app: App!
}

type DiscountAutomaticApp {
  discountId: ID!
  title: String!
  status: DiscountStatus!
  startsAt: DateTime!
  endsAt: DateTime
  createdAt: DateTime!
  updatedAt: DateTime!
  combinesWith: DiscountCombinesWith!
  discountClass: DiscountClass!
  discountClasses: [DiscountClass!]!
  appDiscountType: AppDiscountType!
  appliesOnOneTimePurchase: Boolean!
  appliesOnSubscription: Boolean!
  asyncUsageCount: Int!
}

union DiscountAutomatic = DiscountAutomaticApp
union Discount = DiscountAutomaticApp

type DiscountAutomaticNode implements Node & HasMetafields {
  id: ID!
  automaticDiscount: DiscountAutomatic!
  ${METAFIELD_FIELDS}
}

type DiscountAutomaticNodeEdge { cursor: String! node: DiscountAutomaticNode! }
type DiscountAutomaticNodeConnection { edges: [DiscountAutomaticNodeEdge!]! nodes: [DiscountAutomaticNode!]! pageInfo: PageInfo! }

type DiscountNode implements Node & HasMetafields {
  id: ID!
  discount: Discount!
  ${METAFIELD_FIELDS}
}

type DiscountNodeEdge { cursor: String! node: DiscountNode! }
type DiscountNodeConnection { edges: [DiscountNodeEdge!]! nodes: [DiscountNode!]! pageInfo: PageInfo! }

input DiscountAutomaticAppInput {
  title: String
  functionId: String
  functionHandle: String
  startsAt: DateTime
  endsAt: DateTime
  combinesWith: DiscountCombinesWithInput
  discountClasses: [DiscountClass!]
  context: DiscountContextInput
  metafields: [MetafieldInput!] = []
  appliesOnOneTimePurchase: Boolean
  appliesOnSubscription: Boolean
  recurringCycleLimit: Int
}

type DiscountAutomaticAppCreatePayload {
  automaticAppDiscount: DiscountAutomaticApp
  userErrors: [DiscountUserError!]!
}

type DiscountAutomaticAppUpdatePayload {
  automaticAppDiscount: DiscountAutomaticApp
  userErrors: [DiscountUserError!]!
}

type DiscountAutomaticDeletePayload {
  deletedAutomaticDiscountId: ID
  userErrors: [DiscountUserError!]!
}

# ---------------------------------------------------------------- orders

enum OrderSortKeys { CREATED_AT ID ORDER_NUMBER PROCESSED_AT RELEVANCE TOTAL_PRICE UPDATED_AT }

type LineItem implements Node {
  id: ID!
  name: String!
  title: String!
  variantTitle: String
  sku: String
  quantity: Int!
  currentQuantity: Int!
  variant: ProductVariant
  product: Product
  customAttributes: [Attribute!]!
  originalUnitPriceSet: MoneyBag!
  originalTotalSet: MoneyBag!
  discountedTotalSet: MoneyBag!
  totalDiscountSet: MoneyBag!
}

type LineItemEdge { cursor: String! node: LineItem! }
type LineItemConnection { edges: [LineItemEdge!]! nodes: [LineItem!]! pageInfo: PageInfo! }

type Order implements Node & HasMetafields {
  id: ID!
  legacyResourceId: UnsignedInt64!
  name: String!
  createdAt: DateTime!
  processedAt: DateTime!
  updatedAt: DateTime!
  currencyCode: CurrencyCode!
  presentmentCurrencyCode: CurrencyCode!
  email: String
  note: String
  tags: [String!]!
  customAttributes: [Attribute!]!
  subtotalPriceSet: MoneyBag
  totalDiscountsSet: MoneyBag
  totalPriceSet: MoneyBag!
  currentTotalPriceSet: MoneyBag!
  lineItems(${PAGE}): LineItemConnection!
  ${METAFIELD_FIELDS}
}

type OrderEdge { cursor: String! node: Order! }
type OrderConnection { edges: [OrderEdge!]! nodes: [Order!]! pageInfo: PageInfo! }

# ---------------------------------------------------------------- roots

schema { query: QueryRoot mutation: Mutation }

type QueryRoot {
  shop: Shop!
  shopLocales(published: Boolean = false): [ShopLocale!]!
  currentAppInstallation: AppInstallation!
  node(id: ID!): Node
  nodes(ids: [ID!]!): [Node]!

  product(id: ID!): Product
  productByIdentifier(identifier: ProductIdentifierInput!): Product
  products(${PAGE}, sortKey: ProductSortKeys = ID, query: String, savedSearchId: ID): ProductConnection!
  productsCount(query: String, limit: Int = 10000): Count
  productVariant(id: ID!): ProductVariant
  productVariants(${PAGE}, sortKey: ProductVariantSortKeys = ID, query: String): ProductVariantConnection!
  productVariantsCount(query: String): Count
  collection(id: ID!): Collection
  collectionByIdentifier(identifier: CollectionIdentifierInput!): Collection
  collections(${PAGE}, sortKey: CollectionSortKeys = ID, query: String): CollectionConnection!
  collectionsCount(query: String): Count

  metafieldDefinitions(ownerType: MetafieldOwnerType!, namespace: String, key: String, ${PAGE}, sortKey: MetafieldDefinitionSortKeys = ID, query: String): MetafieldDefinitionConnection!
  metafieldDefinition(identifier: MetafieldDefinitionIdentifierInput, id: ID): MetafieldDefinition

  shopifyFunctions(${PAGE}, apiType: String, useCreationUi: Boolean): ShopifyFunctionConnection!
  shopifyFunction(id: String!): ShopifyFunction
  discountNodes(${PAGE}, sortKey: DiscountSortKeys = ID, query: String): DiscountNodeConnection!
  discountNode(id: ID!): DiscountNode
  automaticDiscountNodes(${PAGE}, sortKey: AutomaticDiscountSortKeys = ID, query: String): DiscountAutomaticNodeConnection!
  automaticDiscountNode(id: ID!): DiscountAutomaticNode

  orders(${PAGE}, sortKey: OrderSortKeys = PROCESSED_AT, query: String): OrderConnection!
  order(id: ID!): Order
  ordersCount(query: String, limit: Int = 10000): Count
}

type Mutation {
  metafieldsSet(metafields: [MetafieldsSetInput!]!): MetafieldsSetPayload
  metafieldsDelete(metafields: [MetafieldIdentifierInput!]!): MetafieldsDeletePayload
  metafieldDefinitionCreate(definition: MetafieldDefinitionInput!): MetafieldDefinitionCreatePayload
  discountAutomaticAppCreate(automaticAppDiscount: DiscountAutomaticAppInput!): DiscountAutomaticAppCreatePayload
  discountAutomaticAppUpdate(id: ID!, automaticAppDiscount: DiscountAutomaticAppInput!): DiscountAutomaticAppUpdatePayload
  discountAutomaticDelete(id: ID!): DiscountAutomaticDeletePayload
}
`;

/** The served subset as a schema of its own (types only; for checks and tooling): the core
 *  SDL above plus each further module's (which may `extend type QueryRoot` and others). */
export function servedSubsetSchema(sdls: string[] = [ADMIN_SCHEMA_SDL]): GraphQLSchema {
  return buildSchema(sdls.join("\n"));
}

/** Where the served subset is not Shopify's: missing types, fields, arguments, enum values,
 *  union members, or a different type anywhere (empty: a faithful subset). */
export function servedSubsetProblems(real: GraphQLSchema, subset: GraphQLSchema): string[] {
  const problems: string[] = [];
  if (subset.getQueryType()?.name !== real.getQueryType()?.name) problems.push(`query root is ${subset.getQueryType()?.name}, Shopify's is ${real.getQueryType()?.name}`);
  if (subset.getMutationType()?.name !== real.getMutationType()?.name) problems.push(`mutation root is ${subset.getMutationType()?.name}, Shopify's is ${real.getMutationType()?.name}`);
  for (const type of Object.values(subset.getTypeMap())) {
    if (type.name.startsWith("__") || isSpecifiedScalarType(type)) continue;
    const theirs = real.getType(type.name);
    if (!theirs) {
      problems.push(`${type.name}: no such type in Shopify's Admin API`);
      continue;
    }
    if (theirs.constructor !== type.constructor) {
      problems.push(`${type.name}: a different kind of type in Shopify's Admin API`);
      continue;
    }
    if (isObjectType(type) || isInterfaceType(type)) {
      const realFields = (theirs as typeof type).getFields();
      for (const field of Object.values(type.getFields())) {
        const real = realFields[field.name];
        if (!real) {
          problems.push(`${type.name}.${field.name}: no such field in Shopify's Admin API`);
          continue;
        }
        if (String(real.type) !== String(field.type)) problems.push(`${type.name}.${field.name}: ${field.type}, Shopify's is ${real.type}`);
        for (const arg of field.args) {
          const realArg = real.args.find((a) => a.name === arg.name);
          if (!realArg) problems.push(`${type.name}.${field.name}(${arg.name}): no such argument in Shopify's Admin API`);
          else if (String(realArg.type) !== String(arg.type)) problems.push(`${type.name}.${field.name}(${arg.name}): ${arg.type}, Shopify's is ${realArg.type}`);
          else if (JSON.stringify(realArg.defaultValue) !== JSON.stringify(arg.defaultValue))
            problems.push(`${type.name}.${field.name}(${arg.name}): defaults to ${JSON.stringify(arg.defaultValue)}, Shopify's to ${JSON.stringify(realArg.defaultValue)}`);
        }
      }
      const realInterfaces = new Set((theirs as typeof type).getInterfaces().map((i) => i.name));
      for (const i of type.getInterfaces()) if (!realInterfaces.has(i.name)) problems.push(`${type.name}: does not implement ${i.name} in Shopify's Admin API`);
    } else if (isInputObjectType(type) && isInputObjectType(theirs)) {
      const realFields = theirs.getFields();
      for (const field of Object.values(type.getFields())) {
        const real = realFields[field.name];
        if (!real) problems.push(`${type.name}.${field.name}: no such input field in Shopify's Admin API`);
        else if (String(real.type) !== String(field.type)) problems.push(`${type.name}.${field.name}: ${field.type}, Shopify's is ${real.type}`);
      }
    } else if (isEnumType(type) && isEnumType(theirs)) {
      for (const value of type.getValues()) if (!theirs.getValue(value.name)) problems.push(`${type.name}.${value.name}: no such enum value in Shopify's Admin API`);
    } else if (isUnionType(type) && isUnionType(theirs)) {
      const members = new Set(theirs.getTypes().map((t) => t.name));
      for (const t of type.getTypes()) if (!members.has(t.name)) problems.push(`${type.name}: ${t.name} is not a member in Shopify's Admin API`);
    } else if (isScalarType(type) !== isScalarType(theirs)) {
      problems.push(`${type.name}: a different kind of type in Shopify's Admin API`);
    }
  }
  return problems;
}

/** The error a field Shopify has, and the local shop does not serve, answers with. */
export function unservedFieldError(typeName: string, fieldName: string): GraphQLError {
  return new GraphQLError(
    `${typeName}.${fieldName} is part of Shopify's Admin API ${ADMIN_API_VERSION}, but the local shop does not serve it (Cartlift does not use it). Serve it in localshop/admin-api before relying on it.`,
    { extensions: { code: "LOCAL_SHOP_UNSERVED" } },
  );
}

/**
 * A fresh copy of Shopify's Admin schema (resolvers are attached to it by ./resolvers):
 * fields outside the served subset answer `unservedFieldError`. Throws when the served SDL
 * strays from Shopify's types.
 */
export function buildAdminSchema(sdls: string[] = [ADMIN_SCHEMA_SDL]): { schema: GraphQLSchema; served: GraphQLSchema } {
  const real = buildClientSchema(readShopifyIntrospection(`admin_${ADMIN_API_VERSION}`), { assumeValid: true });
  const subset = servedSubsetSchema(sdls);
  const problems = servedSubsetProblems(real, subset);
  if (problems.length) throw new Error(`The local shop's Admin schema strays from Shopify's:\n- ${problems.join("\n- ")}`);
  for (const type of Object.values(real.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    const servedType = subset.getType(type.name);
    const servedFields = servedType && isObjectType(servedType) ? servedType.getFields() : {};
    for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
      if (servedFields[field.name]) continue;
      const error = unservedFieldError(type.name, field.name);
      field.resolve = () => {
        throw error;
      };
    }
  }
  return { schema: real, served: subset };
}
