/**
 * The demo shop "Cartlift Demo" (cartlift-demo.myshopify.com): shop settings and a catalog
 * of 42 products covering the upsell scenarios the product research names (phone + case +
 * screen film, grill + brush, burger + fries + drink, shampoo + conditioner + curl spray,
 * camera + tripod + batteries + card reader, yoga mat, coffee).
 *
 * Deterministic: ids are assigned in declaration order (products from 1001, variants from
 * 2001, collections from 3001, images from 4001) and timestamps are fixed, so the same GIDs
 * name the same things on every run. Append new products at the end to keep ids stable.
 */
import type {
  AppRecord,
  CollectionRecord,
  ImageRecord,
  LocalShopData,
  MetafieldRecord,
  ProductRecord,
  ShopRecord,
  ShopifyFunctionRecord,
  VariantRecord,
} from "../state";

export const DEMO_SHOP_DOMAIN = "cartlift-demo.myshopify.com";
export const SEED_TIMESTAMP = "2026-01-15T10:00:00Z";

export const DEMO_SHOP: ShopRecord = {
  id: "gid://shopify/Shop/1",
  name: "Cartlift Demo",
  email: "owner@cartlift-demo.example",
  myshopifyDomain: DEMO_SHOP_DOMAIN,
  primaryDomainUrl: `https://${DEMO_SHOP_DOMAIN}`,
  currencyCode: "USD",
  enabledPresentmentCurrencies: ["USD", "EUR", "JPY", "KRW"],
  currencyRates: { EUR: 0.92, JPY: 151.5, KRW: 1380 },
  currencyFormats: {
    moneyFormat: "${{amount}}",
    moneyWithCurrencyFormat: "${{amount}} USD",
  },
  locales: [
    { locale: "en", name: "English", primary: true, published: true },
    { locale: "es", name: "Spanish", primary: false, published: true },
    { locale: "ko", name: "Korean", primary: false, published: true },
    { locale: "ja", name: "Japanese", primary: false, published: true },
    { locale: "pt-BR", name: "Portuguese (Brazil)", primary: false, published: true },
    { locale: "hy", name: "Armenian", primary: false, published: true },
    { locale: "fr", name: "French", primary: false, published: true },
  ],
  ianaTimezone: "America/New_York",
  countryCode: "US",
  planDisplayName: "Development",
};

/** The Cartlift app as installed on the demo shop. Its reserved namespace is `app--7001`. */
export const DEMO_APP: AppRecord = {
  id: "gid://shopify/App/7001",
  installationId: "gid://shopify/AppInstallation/7501",
  title: "Cartlift",
  handle: "cartlift",
  apiKey: "cartlift-local-api-key",
};

/** The app's discount function as if deployed (`functionHandle: "cartlift-discount"`). */
export const DEMO_FUNCTIONS: ShopifyFunctionRecord[] = [
  {
    id: "0b4d5f3e-8a61-4c2d-9f7a-3e1c2b5a6d01",
    handle: "cartlift-discount",
    title: "Cartlift offer discount",
    apiType: "discount",
    appKey: DEMO_APP.apiKey,
    appTitle: DEMO_APP.title,
  },
];

interface VariantSeed {
  /** Option values, in the product's option order; omit for "Default Title". */
  options?: string[];
  price: string;
  compareAtPrice?: string;
  sku: string;
  inventory?: number;
  /** CONTINUE keeps selling at zero stock. */
  continueSelling?: boolean;
}

export interface ProductSeed {
  handle: string;
  title: string;
  vendor: string;
  productType: string;
  tags: string[];
  /** Collection handles. */
  collections: string[];
  description: string;
  options?: string[];
  variants: VariantSeed[];
  status?: "ACTIVE" | "DRAFT" | "ARCHIVED";
}

export interface CollectionSeed {
  handle: string;
  title: string;
  description: string;
}

export const COLLECTION_SEEDS: CollectionSeed[] = [
  { handle: "phones", title: "Phones", description: "Smartphones." },
  { handle: "accessories", title: "Accessories", description: "Cases, films, chargers and audio." },
  { handle: "grilling", title: "Grilling", description: "Grills and everything around them." },
  { handle: "food", title: "Food", description: "Burgers, sides and drinks." },
  { handle: "hair-care", title: "Hair care", description: "Shampoo, conditioner and styling." },
  { handle: "photo", title: "Photo", description: "Cameras and camera gear." },
  { handle: "fitness", title: "Fitness", description: "Yoga and training." },
  { handle: "coffee", title: "Coffee", description: "Beans and brewing." },
];

export const PRODUCT_SEEDS: ProductSeed[] = [
  // Phones
  {
    handle: "aurora-phone",
    title: "Aurora Phone",
    vendor: "Aurora Mobile",
    productType: "Phone",
    tags: ["phone", "aurora", "flagship", "5g"],
    collections: ["phones"],
    description: "A 6.1-inch OLED phone with all-day battery.",
    options: ["Storage"],
    variants: [
      { options: ["64 GB"], price: "699.00", sku: "AUR-PH-64", inventory: 25 },
      { options: ["128 GB"], price: "799.00", sku: "AUR-PH-128", inventory: 18 },
    ],
  },
  {
    handle: "aurora-phone-mini",
    title: "Aurora Phone Mini",
    vendor: "Aurora Mobile",
    productType: "Phone",
    tags: ["phone", "aurora", "compact"],
    collections: ["phones"],
    description: "The Aurora Phone in a 5.4-inch size.",
    options: ["Storage"],
    variants: [
      { options: ["64 GB"], price: "549.00", sku: "AUR-MINI-64", inventory: 12 },
      { options: ["128 GB"], price: "649.00", sku: "AUR-MINI-128", inventory: 9 },
    ],
  },
  // Accessories
  {
    handle: "aurora-phone-case",
    title: "Aurora Phone Case",
    vendor: "Aurora Mobile",
    productType: "Phone Case",
    tags: ["case", "aurora", "accessory", "protection"],
    collections: ["accessories"],
    description: "Slim silicone case with a soft lining.",
    options: ["Color"],
    variants: [
      { options: ["Black"], price: "29.00", sku: "AUR-CASE-BLK", inventory: 60 },
      { options: ["Clear"], price: "29.00", sku: "AUR-CASE-CLR", inventory: 45 },
      { options: ["Sky Blue"], price: "29.00", sku: "AUR-CASE-SKY", inventory: 30 },
    ],
  },
  {
    handle: "leather-folio-case",
    title: "Leather Folio Case",
    vendor: "Northfield Leather",
    productType: "Phone Case",
    tags: ["case", "aurora", "accessory", "leather"],
    collections: ["accessories"],
    description: "Full-grain leather folio with two card slots.",
    options: ["Color"],
    variants: [
      { options: ["Tan"], price: "49.00", compareAtPrice: "59.00", sku: "NFL-FOLIO-TAN", inventory: 14 },
      { options: ["Black"], price: "49.00", compareAtPrice: "59.00", sku: "NFL-FOLIO-BLK", inventory: 20 },
    ],
  },
  {
    handle: "aurora-screen-film",
    title: "Aurora Screen Film (2-pack)",
    vendor: "Aurora Mobile",
    productType: "Screen Protector",
    tags: ["screen-film", "aurora", "accessory", "protection"],
    collections: ["accessories"],
    description: "Tempered glass screen film, two in a pack.",
    variants: [{ price: "15.00", sku: "AUR-FILM-2", inventory: 120 }],
  },
  {
    handle: "privacy-screen-film",
    title: "Privacy Screen Film",
    vendor: "ClearGuard",
    productType: "Screen Protector",
    tags: ["screen-film", "aurora", "accessory", "privacy"],
    collections: ["accessories"],
    description: "Darkens the screen for anyone looking from the side.",
    variants: [{ price: "19.00", sku: "CG-PRIV-1", inventory: 70 }],
  },
  {
    handle: "usb-c-charger-20w",
    title: "20W USB-C Charger",
    vendor: "VoltWorks",
    productType: "Charger",
    tags: ["charger", "usb-c", "accessory"],
    collections: ["accessories"],
    description: "Compact fast charger for phones and earbuds.",
    variants: [{ price: "25.00", sku: "VW-CHG-20", inventory: 80 }],
  },
  {
    handle: "wireless-charging-pad",
    title: "Wireless Charging Pad",
    vendor: "VoltWorks",
    productType: "Charger",
    tags: ["charger", "wireless", "accessory"],
    collections: ["accessories"],
    description: "15 W Qi2 charging pad with a non-slip base.",
    variants: [{ price: "39.00", sku: "VW-PAD-15", inventory: 40 }],
  },
  {
    handle: "usb-c-cable-2m",
    title: "USB-C Cable 2 m",
    vendor: "VoltWorks",
    productType: "Cable",
    tags: ["cable", "usb-c", "accessory"],
    collections: ["accessories"],
    description: "Braided USB-C to USB-C cable, 60 W.",
    variants: [{ price: "12.00", sku: "VW-CBL-2M", inventory: 150 }],
  },
  {
    handle: "aurora-wireless-headphones",
    title: "Aurora Wireless Headphones",
    vendor: "Aurora Mobile",
    productType: "Headphones",
    tags: ["headphones", "audio", "aurora", "noise-cancelling"],
    collections: ["accessories"],
    description: "Over-ear noise-cancelling headphones, 30-hour battery.",
    options: ["Color"],
    variants: [
      { options: ["Midnight"], price: "149.00", compareAtPrice: "179.00", sku: "AUR-HP-MID", inventory: 22 },
      { options: ["Sand"], price: "149.00", compareAtPrice: "179.00", sku: "AUR-HP-SND", inventory: 11 },
    ],
  },
  {
    handle: "wired-earbuds",
    title: "Wired Earbuds",
    vendor: "SoundLeaf",
    productType: "Headphones",
    tags: ["headphones", "audio", "usb-c"],
    collections: ["accessories"],
    description: "USB-C earbuds with an inline microphone.",
    variants: [{ price: "19.00", sku: "SL-EAR-USBC", inventory: 90 }],
  },
  {
    handle: "power-bank-10000",
    title: "Power Bank 10,000 mAh",
    vendor: "VoltWorks",
    productType: "Charger",
    tags: ["charger", "battery", "travel", "accessory"],
    collections: ["accessories"],
    description: "Pocket power bank that charges a phone twice.",
    variants: [{ price: "45.00", sku: "VW-PB-10K", inventory: 35 }],
  },
  // Grilling
  {
    handle: "ember-gas-grill",
    title: "Ember 3-Burner Gas Grill",
    vendor: "Ember & Oak",
    productType: "Grill",
    tags: ["grill", "bbq", "outdoor", "gas"],
    collections: ["grilling"],
    description: "Three burners, 30,000 BTU, porcelain-coated grates.",
    variants: [{ price: "235.00", sku: "EO-GRILL-3B", inventory: 8 }],
  },
  {
    handle: "grill-brush",
    title: "Grill Brush",
    vendor: "Ember & Oak",
    productType: "Grill Accessory",
    tags: ["grill", "bbq", "cleaning", "accessory"],
    collections: ["grilling"],
    description: "Bristle-free coil brush with a scraper.",
    variants: [{ price: "7.00", sku: "EO-BRUSH", inventory: 200 }],
  },
  {
    handle: "grill-cover",
    title: "Grill Cover",
    vendor: "Ember & Oak",
    productType: "Grill Accessory",
    tags: ["grill", "bbq", "outdoor", "accessory"],
    collections: ["grilling"],
    description: "Weatherproof cover sized for the Ember 3-Burner.",
    variants: [{ price: "34.00", sku: "EO-COVER-3B", inventory: 25 }],
  },
  {
    handle: "bbq-tongs",
    title: "BBQ Tongs",
    vendor: "Ember & Oak",
    productType: "Grill Accessory",
    tags: ["grill", "bbq", "tools", "accessory"],
    collections: ["grilling"],
    description: "Locking stainless steel tongs, 16 inches.",
    variants: [{ price: "12.00", sku: "EO-TONGS", inventory: 70 }],
  },
  {
    handle: "smoked-paprika-rub",
    title: "Smoked Paprika Rub",
    vendor: "Pit & Pantry",
    productType: "Spice",
    tags: ["bbq", "spice", "food"],
    collections: ["grilling", "food"],
    description: "Sweet and smoky rub for ribs and chicken.",
    variants: [{ price: "8.00", sku: "PP-RUB-SP", inventory: 110 }],
  },
  // Food
  {
    handle: "classic-burger",
    title: "Classic Burger",
    vendor: "Cartlift Kitchen",
    productType: "Burger",
    tags: ["burger", "food", "meal"],
    collections: ["food"],
    description: "Beef patty, cheddar, lettuce, tomato, house sauce.",
    variants: [{ price: "9.50", sku: "CK-BURGER", inventory: 0, continueSelling: true }],
  },
  {
    handle: "veggie-burger",
    title: "Veggie Burger",
    vendor: "Cartlift Kitchen",
    productType: "Burger",
    tags: ["burger", "food", "meal", "vegetarian"],
    collections: ["food"],
    description: "Black bean patty, avocado, pickled onion.",
    variants: [{ price: "10.00", sku: "CK-VEGGIE", inventory: 0, continueSelling: true }],
  },
  {
    handle: "crispy-fries",
    title: "Crispy Fries",
    vendor: "Cartlift Kitchen",
    productType: "Side",
    tags: ["fries", "food", "side"],
    collections: ["food"],
    description: "Skin-on fries with sea salt.",
    options: ["Size"],
    variants: [
      { options: ["Regular"], price: "3.50", sku: "CK-FRIES-R", inventory: 0, continueSelling: true },
      { options: ["Large"], price: "4.50", sku: "CK-FRIES-L", inventory: 0, continueSelling: true },
    ],
  },
  {
    handle: "fountain-drink",
    title: "Fountain Drink",
    vendor: "Cartlift Kitchen",
    productType: "Drink",
    tags: ["drink", "food", "beverage"],
    collections: ["food"],
    description: "500 ml, free refills in store.",
    options: ["Flavor"],
    variants: [
      { options: ["Cola"], price: "2.25", sku: "CK-DRINK-COLA", inventory: 0, continueSelling: true },
      { options: ["Lemonade"], price: "2.25", sku: "CK-DRINK-LEM", inventory: 0, continueSelling: true },
      { options: ["Iced Tea"], price: "2.25", sku: "CK-DRINK-TEA", inventory: 0, continueSelling: true },
    ],
  },
  {
    handle: "vanilla-milkshake",
    title: "Vanilla Milkshake",
    vendor: "Cartlift Kitchen",
    productType: "Drink",
    tags: ["drink", "food", "dessert"],
    collections: ["food"],
    description: "Thick vanilla shake. Sold out today.",
    variants: [{ price: "4.75", sku: "CK-SHAKE-VAN", inventory: 0 }],
  },
  // Hair care
  {
    handle: "hydrating-shampoo",
    title: "Hydrating Shampoo",
    vendor: "Maren Botanics",
    productType: "Shampoo",
    tags: ["hair", "shampoo", "curly", "sulfate-free"],
    collections: ["hair-care"],
    description: "Sulfate-free shampoo for curly and wavy hair, 300 ml.",
    variants: [{ price: "18.00", sku: "MB-SHAMPOO-300", inventory: 55 }],
  },
  {
    handle: "silk-conditioner",
    title: "Silk Conditioner",
    vendor: "Maren Botanics",
    productType: "Conditioner",
    tags: ["hair", "conditioner", "curly"],
    collections: ["hair-care"],
    description: "Detangling conditioner with silk protein, 300 ml.",
    variants: [{ price: "19.00", sku: "MB-COND-300", inventory: 48 }],
  },
  {
    handle: "curl-defining-spray",
    title: "Curl Defining Spray",
    vendor: "Maren Botanics",
    productType: "Styling",
    tags: ["hair", "styling", "curly"],
    collections: ["hair-care"],
    description: "Light-hold spray that defines curls without crunch.",
    variants: [{ price: "22.00", sku: "MB-CURL-SPRAY", inventory: 40 }],
  },
  {
    handle: "wide-tooth-comb",
    title: "Wide-Tooth Comb",
    vendor: "Maren Botanics",
    productType: "Hair Tool",
    tags: ["hair", "tools", "curly"],
    collections: ["hair-care"],
    description: "Bamboo comb for detangling wet hair.",
    variants: [{ price: "6.00", sku: "MB-COMB", inventory: 100 }],
  },
  {
    handle: "microfiber-hair-towel",
    title: "Microfiber Hair Towel",
    vendor: "Maren Botanics",
    productType: "Hair Tool",
    tags: ["hair", "towel", "curly"],
    collections: ["hair-care"],
    description: "Reduces frizz while drying.",
    variants: [{ price: "16.00", sku: "MB-TOWEL", inventory: 38 }],
  },
  // Photo
  {
    handle: "lumen-x100-camera",
    title: "Lumen X100 Camera",
    vendor: "Lumen Optics",
    productType: "Camera",
    tags: ["camera", "photo", "mirrorless"],
    collections: ["photo"],
    description: "24 MP mirrorless camera with in-body stabilization.",
    options: ["Kit"],
    variants: [
      { options: ["Body only"], price: "899.00", sku: "LUM-X100-BODY", inventory: 6 },
      { options: ["With 24-70 mm lens"], price: "1199.00", compareAtPrice: "1299.00", sku: "LUM-X100-KIT", inventory: 4 },
    ],
  },
  {
    handle: "travel-tripod",
    title: "Travel Tripod",
    vendor: "Lumen Optics",
    productType: "Tripod",
    tags: ["camera", "photo", "tripod", "travel"],
    collections: ["photo"],
    description: "Carbon fibre tripod, folds to 40 cm.",
    variants: [{ price: "79.00", sku: "LUM-TRIPOD", inventory: 15 }],
  },
  {
    handle: "camera-battery-2-pack",
    title: "Camera Battery (2-pack)",
    vendor: "Lumen Optics",
    productType: "Battery",
    tags: ["camera", "photo", "battery"],
    collections: ["photo"],
    description: "Two spare batteries for the Lumen X100.",
    variants: [{ price: "39.00", sku: "LUM-BATT-2", inventory: 30 }],
  },
  {
    handle: "sd-card-reader",
    title: "SD Card Reader",
    vendor: "VoltWorks",
    productType: "Card Reader",
    tags: ["camera", "photo", "usb-c", "card-reader"],
    collections: ["photo", "accessories"],
    description: "USB-C reader for SD and microSD cards.",
    variants: [{ price: "15.00", sku: "VW-READER", inventory: 65 }],
  },
  {
    handle: "sd-card-128gb",
    title: "SD Card 128 GB",
    vendor: "VoltWorks",
    productType: "Memory Card",
    tags: ["camera", "photo", "storage"],
    collections: ["photo"],
    description: "V30 SD card for 4K video.",
    variants: [{ price: "29.00", sku: "VW-SD-128", inventory: 50 }],
  },
  {
    handle: "camera-bag",
    title: "Camera Sling Bag",
    vendor: "Lumen Optics",
    productType: "Bag",
    tags: ["camera", "photo", "bag", "travel"],
    collections: ["photo"],
    description: "Holds a body, two lenses and a tripod.",
    variants: [{ price: "59.00", sku: "LUM-BAG", inventory: 17 }],
  },
  // Fitness
  {
    handle: "yoga-mat",
    title: "Yoga Mat",
    vendor: "Flowform",
    productType: "Yoga Mat",
    tags: ["yoga", "fitness", "mat"],
    collections: ["fitness"],
    description: "5 mm natural rubber mat with alignment lines.",
    options: ["Color"],
    variants: [
      { options: ["Sage"], price: "45.00", sku: "FF-MAT-SAGE", inventory: 26 },
      { options: ["Plum"], price: "45.00", sku: "FF-MAT-PLUM", inventory: 19 },
      { options: ["Charcoal"], price: "45.00", sku: "FF-MAT-CHAR", inventory: 0 },
    ],
  },
  {
    handle: "cork-yoga-block",
    title: "Cork Yoga Block",
    vendor: "Flowform",
    productType: "Yoga Accessory",
    tags: ["yoga", "fitness", "accessory"],
    collections: ["fitness"],
    description: "Firm cork block for support in poses.",
    variants: [{ price: "14.00", sku: "FF-BLOCK", inventory: 44 }],
  },
  {
    handle: "resistance-bands",
    title: "Resistance Band Set",
    vendor: "Flowform",
    productType: "Training",
    tags: ["fitness", "training", "home-gym"],
    collections: ["fitness"],
    description: "Five bands from light to extra heavy.",
    variants: [{ price: "24.00", sku: "FF-BANDS-5", inventory: 33 }],
  },
  {
    handle: "insulated-water-bottle",
    title: "Insulated Water Bottle",
    vendor: "Flowform",
    productType: "Bottle",
    tags: ["fitness", "hydration", "travel"],
    collections: ["fitness"],
    description: "750 ml, keeps water cold for 24 hours.",
    variants: [{ price: "22.00", sku: "FF-BOTTLE-750", inventory: 57 }],
  },
  // Coffee
  {
    handle: "house-blend-coffee",
    title: "House Blend Coffee",
    vendor: "Ridgeline Roasters",
    productType: "Coffee",
    tags: ["coffee", "beans", "medium-roast"],
    collections: ["coffee"],
    description: "Chocolate and caramel notes, 340 g.",
    options: ["Grind"],
    variants: [
      { options: ["Whole bean"], price: "16.00", sku: "RR-HOUSE-WB", inventory: 90 },
      { options: ["Ground"], price: "16.00", sku: "RR-HOUSE-GR", inventory: 60 },
    ],
  },
  {
    handle: "espresso-roast",
    title: "Espresso Roast",
    vendor: "Ridgeline Roasters",
    productType: "Coffee",
    tags: ["coffee", "beans", "dark-roast", "espresso"],
    collections: ["coffee"],
    description: "Dark roast for espresso and moka pot, 340 g.",
    variants: [{ price: "18.00", sku: "RR-ESPRESSO", inventory: 75 }],
  },
  {
    handle: "pour-over-dripper",
    title: "Pour-Over Dripper",
    vendor: "Ridgeline Roasters",
    productType: "Brewing",
    tags: ["coffee", "brewing", "ceramic"],
    collections: ["coffee"],
    description: "Ceramic cone dripper for one or two cups.",
    variants: [{ price: "28.00", sku: "RR-DRIPPER", inventory: 21 }],
  },
  {
    handle: "paper-filters",
    title: "Paper Filters (100)",
    vendor: "Ridgeline Roasters",
    productType: "Brewing",
    tags: ["coffee", "brewing", "filters"],
    collections: ["coffee"],
    description: "Unbleached cone filters, 100 count.",
    variants: [{ price: "6.00", sku: "RR-FILTERS-100", inventory: 140 }],
  },
  // Not yet on sale: shows that status filters work.
  {
    handle: "aurora-phone-pro",
    title: "Aurora Phone Pro",
    vendor: "Aurora Mobile",
    productType: "Phone",
    tags: ["phone", "aurora", "flagship", "coming-soon"],
    collections: [],
    description: "Coming soon.",
    options: ["Storage"],
    variants: [
      { options: ["256 GB"], price: "999.00", sku: "AUR-PRO-256", inventory: 0 },
      { options: ["512 GB"], price: "1199.00", sku: "AUR-PRO-512", inventory: 0 },
    ],
    status: "DRAFT",
  },
];

/** Path (under the local shop's server) of a product's placeholder image. */
export function productImagePath(handle: string): string {
  return `/localshop/images/${handle}.svg`;
}

/** Builds the complete seeded state. Pure and deterministic. */
export function buildSeedData(opts: { withCatalog: boolean }): LocalShopData {
  const products: ProductRecord[] = [];
  const variants: VariantRecord[] = [];
  const collections: CollectionRecord[] = [];
  let productN = 1001;
  let variantN = 2001;
  let imageN = 4001;

  if (opts.withCatalog) {
    const collectionIds = new Map<string, string>();
    COLLECTION_SEEDS.forEach((c, i) => {
      const id = `gid://shopify/Collection/${3001 + i}`;
      collectionIds.set(c.handle, id);
      collections.push({
        id,
        handle: c.handle,
        title: c.title,
        descriptionHtml: `<p>${c.description}</p>`,
        productIds: [],
        updatedAt: SEED_TIMESTAMP,
      });
    });

    for (const seed of PRODUCT_SEEDS) {
      const productId = `gid://shopify/Product/${productN++}`;
      const image: ImageRecord = {
        id: `gid://shopify/ProductImage/${imageN++}`,
        url: productImagePath(seed.handle),
        altText: seed.title,
        width: 800,
        height: 800,
      };
      const optionNames = seed.options ?? ["Title"];
      const variantIds: string[] = [];
      seed.variants.forEach((v, position) => {
        const id = `gid://shopify/ProductVariant/${variantN++}`;
        variantIds.push(id);
        const values = v.options ?? ["Default Title"];
        variants.push({
          id,
          productId,
          title: values.join(" / "),
          sku: v.sku,
          price: v.price,
          compareAtPrice: v.compareAtPrice ?? null,
          inventoryQuantity: v.inventory ?? 50,
          inventoryPolicy: v.continueSelling ? "CONTINUE" : "DENY",
          selectedOptions: optionNames.map((name, i) => ({ name, value: values[i] ?? "" })),
          imageId: null,
          position: position + 1,
          taxable: true,
          requiresShipping: seed.productType !== "Burger" && seed.productType !== "Side" && seed.productType !== "Drink",
          createdAt: SEED_TIMESTAMP,
          updatedAt: SEED_TIMESTAMP,
        });
      });
      products.push({
        id: productId,
        handle: seed.handle,
        title: seed.title,
        descriptionHtml: `<p>${seed.description}</p>`,
        vendor: seed.vendor,
        productType: seed.productType,
        tags: [...seed.tags].sort(),
        status: seed.status ?? "ACTIVE",
        createdAt: SEED_TIMESTAMP,
        updatedAt: SEED_TIMESTAMP,
        publishedAt: (seed.status ?? "ACTIVE") === "ACTIVE" ? SEED_TIMESTAMP : null,
        options: optionNames.map((name, i) => ({
          name,
          values: [...new Set(seed.variants.map((v) => (v.options ?? ["Default Title"])[i] ?? ""))],
        })),
        images: [image],
        variantIds,
      });
      for (const handle of seed.collections) {
        const collectionId = collectionIds.get(handle);
        if (!collectionId) throw new Error(`Seed product ${seed.handle} names unknown collection ${handle}`);
        collections.find((c) => c.id === collectionId)!.productIds.push(productId);
      }
    }
  }

  return {
    version: 1,
    shop: structuredClone(DEMO_SHOP),
    app: structuredClone(DEMO_APP),
    products,
    variants,
    collections,
    metafields: opts.withCatalog ? demoProductMetafields(products) : [],
    metafieldDefinitions: [],
    functions: structuredClone(DEMO_FUNCTIONS),
    automaticDiscounts: [],
    orders: [],
    sequences: {},
  };
}

/** Ratings as a review app writes them (Shopify's standard `reviews.rating`, a `rating`,
 *  and `reviews.rating_count`), on a few demo products only: the others have no reviews,
 *  and nothing may show one. */
export const DEMO_RATINGS: Record<string, [value: string, count: number]> = {
  "aurora-phone-case": ["4.6", 128],
  "aurora-screen-film": ["4.3", 57],
  "usb-c-charger-20w": ["4.8", 211],
  "grill-brush": ["4.4", 36],
};

/** Complementary products the merchant set in Shopify's Search & Discovery app (its
 *  `shopify--discovery--product_recommendation.complementary_products` metafield, a list of
 *  product references): what `/recommendations/products.json?intent=complementary` serves. */
export const DEMO_COMPLEMENTARY: Record<string, string[]> = {
  "aurora-phone": ["usb-c-charger-20w", "wired-earbuds"],
  "ember-gas-grill": ["grill-cover", "smoked-paprika-rub"],
  "lumen-x100-camera": ["camera-bag", "sd-card-128gb"],
};

export const COMPLEMENTARY_NAMESPACE = "shopify--discovery--product_recommendation";
export const COMPLEMENTARY_KEY = "complementary_products";

function demoProductMetafields(products: ProductRecord[]): MetafieldRecord[] {
  const byHandle = new Map(products.map((p) => [p.handle, p]));
  const at = "2026-01-01T00:00:00Z";
  let n = 40001;
  const out: MetafieldRecord[] = [];
  const add = (handle: string, namespace: string, key: string, type: string, value: string) => {
    const owner = byHandle.get(handle);
    if (owner) out.push({ id: `gid://shopify/Metafield/${n++}`, ownerId: owner.id, ownerType: "PRODUCT", namespace, key, type, value, createdAt: at, updatedAt: at });
  };
  for (const [handle, [value, count]] of Object.entries(DEMO_RATINGS)) {
    add(handle, "reviews", "rating", "rating", JSON.stringify({ value, scale_min: "1.0", scale_max: "5.0" }));
    add(handle, "reviews", "rating_count", "number_integer", String(count));
  }
  for (const [handle, others] of Object.entries(DEMO_COMPLEMENTARY))
    add(handle, COMPLEMENTARY_NAMESPACE, COMPLEMENTARY_KEY, "list.product_reference", JSON.stringify(others.flatMap((h) => (byHandle.has(h) ? [byHandle.get(h)!.id] : []))));
  return out;
}
