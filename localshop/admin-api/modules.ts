/**
 * What the local shop's Admin API serves, module by module: each adds SDL (types and
 * fields in Shopify's own shape; it may `extend type QueryRoot` or `extend type Mutation`)
 * and the resolvers for it. Every module's SDL is checked against Shopify's real schema
 * when the schema is built. A new module is a new file plus one line here.
 */
import { BULK_OPERATION_SDL, bulkResolvers } from "./bulk";
import { CODE_DISCOUNT_SDL, codeDiscountResolvers } from "./code-discounts";
import { resolvers, type ResolverMap } from "./resolvers";
import { ADMIN_SCHEMA_SDL } from "./schema";
import { THEME_SDL, themeResolvers } from "./themes";
import { WEB_PIXEL_SDL, webPixelResolvers } from "./web-pixels";

export interface ServedModule {
  name: string;
  sdl: string;
  resolvers: ResolverMap;
}

export const SERVED_MODULES: ServedModule[] = [
  { name: "core", sdl: ADMIN_SCHEMA_SDL, resolvers },
  { name: "bulk-operations", sdl: BULK_OPERATION_SDL, resolvers: bulkResolvers },
  { name: "web-pixels", sdl: WEB_PIXEL_SDL, resolvers: webPixelResolvers },
  { name: "themes", sdl: THEME_SDL, resolvers: themeResolvers },
  { name: "code-discounts", sdl: CODE_DISCOUNT_SDL, resolvers: codeDiscountResolvers as never },
];
