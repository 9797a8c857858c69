// The function's entry: Shopify CLI's JavaScript build exports these by the names in
// shopify.extension.toml (`cart-lines-discounts-generate-run` → cartLinesDiscountsGenerateRun).
export { cartLinesDiscountsGenerateRun } from "./cart_lines_discounts_generate_run";
export { cartDeliveryOptionsDiscountsGenerateRun } from "./cart_delivery_options_discounts_generate_run";
