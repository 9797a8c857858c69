// The local checkout's HTML: a two-column page shaped like Shopify's one-page checkout
// (contact, delivery, shipping method, payment; the order summary on the side) and the
// thank-you page. Everything dynamic is rendered by the page scripts from the JSON embedded
// here; the server only escapes.
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON safe inside <script type="application/json">. */
const embed = (data: unknown) => JSON.stringify(data).replace(/</g, "\\u003c");

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1f1f1f;background:#fff}
.shop-header{border-bottom:1px solid #dedede;padding:18px 32px}
.shop-header a{font-size:22px;font-weight:600;color:#1f1f1f;text-decoration:none}
.checkout{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);min-height:calc(100vh - 66px)}
.main-column{padding:32px 40px 48px calc(max(32px, 50vw - 560px));display:flex;flex-direction:column;gap:24px;max-width:100%}
.main-column section{display:flex;flex-direction:column;gap:8px}
h1,h2{margin:0}h2{font-size:18px;font-weight:600}
.field{border:1px solid #dedede;border-radius:6px;padding:11px 12px;background:#fff;width:100%;font:inherit;color:inherit}
.box{border:1px solid #dedede;border-radius:6px;padding:12px}
.box.selected{border-color:#1773b0;background:#f0f6fb;display:flex;justify-content:space-between}
.note{color:#707070;margin:0}
#pay-now{appearance:none;border:0;border-radius:6px;background:#1773b0;color:#fff;font-family:inherit;font-size:17px;font-weight:600;padding:18px;cursor:pointer;width:100%}
#pay-now[disabled]{opacity:.6}
#pay-error{color:#c0152f;margin:0}
.summary{background:#f5f5f5;border-left:1px solid #dedede;padding:32px calc(max(32px, 50vw - 560px)) 48px 40px;display:flex;flex-direction:column;gap:20px}
.summary ul{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:14px}
.line{display:grid;grid-template-columns:64px 1fr auto;gap:14px;align-items:center}
.thumb{position:relative;width:64px;height:64px;border:1px solid #dedede;border-radius:8px;background:#fff}
.thumb img{width:100%;height:100%;object-fit:cover;border-radius:8px}
.qty{position:absolute;top:-8px;right:-8px;min-width:21px;height:21px;border-radius:11px;background:#666;color:#fff;font-size:12px;font-weight:600;display:flex;align-items:center;justify-content:center;padding:0 5px}
.line-text p{margin:0}.line-title{font-weight:500}.line-variant{color:#707070;font-size:13px}
.line-discount{color:#707070;font-size:13px}
.line-price{margin:0;text-align:right;display:flex;flex-direction:column}
.line-original{color:#707070;font-size:13px}
dl{display:grid;grid-template-columns:1fr auto;gap:8px 16px;margin:0}dd{margin:0;text-align:right}
dt.total,dd.total{font-size:19px;font-weight:600;padding-top:6px}dd.total small{font-size:12px;color:#707070;font-weight:400}
.savings{color:#1f1f1f;font-weight:600}.shipping-discount{color:#707070;font-size:13px}
#function-problems{white-space:pre-wrap;color:#8a6116;background:#fff8e5;border:1px solid #e5c76b;border-radius:6px;padding:8px;margin:0}
#block-slot:empty{display:none}
.discount-form{display:flex;gap:10px}.discount-form .field{flex:1}
#discount-apply{appearance:none;border:1px solid #dedede;border-radius:6px;background:#fff;font:inherit;font-weight:600;padding:0 18px;cursor:pointer}
#discount-error{color:#c0152f;margin:-12px 0 0}#discount-error:empty{display:none}
#discount-codes{flex-direction:row !important;flex-wrap:wrap;gap:8px !important}#discount-codes:empty{display:none}
#discount-codes li{display:inline-flex;align-items:center;gap:6px;background:#e8e8e8;border-radius:6px;padding:4px 8px;font-size:13px;font-weight:600}
#discount-codes button{border:0;background:none;cursor:pointer;font-size:14px;padding:0 2px}
.tag{width:13px;height:13px;fill:currentColor;vertical-align:-2px;margin-right:4px}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.thank-you-heading{display:flex;flex-direction:column;gap:4px}
@media (max-width: 900px){.checkout{grid-template-columns:1fr}.summary{order:-1;border-left:0;border-bottom:1px solid #dedede;padding:24px}.main-column{padding:24px}}
`;

function page(title: string, shopName: string, storefrontUrl: string, body: string, lang = "en", head = ""): string {
  return `<!doctype html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${escapeHtml(shopName)}</title><style>${STYLE}</style>${head}</head>
<body><header class="shop-header"><a href="${escapeHtml(storefrontUrl)}/">${escapeHtml(shopName)}</a></header>${body}</body></html>`;
}

/** `head`: what Shopify puts in every checkout page's head (the web pixels' boot). */
export function checkoutPage(shopName: string, storefrontUrl: string, lang: string, data: unknown, head = ""): string {
  return page(
    "Checkout",
    shopName,
    storefrontUrl,
    `<main class="checkout">
<div class="main-column">
  <h1 class="visually-hidden">Checkout</h1>
  <section aria-labelledby="contact-heading"><h2 id="contact-heading">Contact</h2>
    <input class="field" aria-label="Email" value="shopper@example.com" readonly></section>
  <section aria-labelledby="delivery-heading"><h2 id="delivery-heading">Delivery</h2>
    <div class="box">Jane Shopper · 1 Market Street, San Francisco CA 94105, United States</div></section>
  <section aria-labelledby="shipping-heading"><h2 id="shipping-heading">Shipping method</h2>
    <div class="box selected"><span id="shipping-method"></span></div></section>
  <div id="block-slot"></div>
  <section aria-labelledby="payment-heading"><h2 id="payment-heading">Payment</h2>
    <div class="box">Test payment · the local shop charges nothing</div></section>
  <button id="pay-now" type="button">Pay now</button>
  <p id="pay-error" role="alert"></p>
  <pre id="function-problems" hidden></pre>
</div>
<aside class="summary" aria-labelledby="summary-heading">
  <h2 id="summary-heading" class="visually-hidden">Order summary</h2>
  <ul id="summary-lines"></ul>
  <div id="line-list-slot"></div>
  <form id="discount-form" class="discount-form">
    <input id="discount-code" class="field" name="code" aria-label="Discount code" placeholder="Discount code" autocomplete="off">
    <button id="discount-apply" type="submit">Apply</button>
  </form>
  <p id="discount-error" role="alert"></p>
  <ul id="discount-codes" aria-label="Applied discount codes"></ul>
  <dl id="summary-totals"></dl>
</aside>
</main>
<script id="checkout-data" type="application/json">${embed(data)}</script>
<script type="module" src="/checkout/assets/checkout-page.js"></script>`,
    lang,
    head,
  );
}

export function thankYouPage(shopName: string, storefrontUrl: string, orderName: string, lang: string, data: unknown, head = ""): string {
  return page(
    `Order ${orderName} confirmed`,
    shopName,
    storefrontUrl,
    `<main class="checkout">
<div class="main-column">
  <div class="thank-you-heading"><p class="note">Confirmation ${escapeHtml(orderName)}</p><h1 id="thank-you-title">Thank you, Jane!</h1></div>
  <section class="box" aria-labelledby="confirmed-heading"><h2 id="confirmed-heading">Your order is confirmed</h2>
    <p class="note">You’ll receive a confirmation email with your order number shortly.</p></section>
  <div id="thank-you-slot"></div>
  <a href="${escapeHtml(storefrontUrl)}/">Continue shopping</a>
</div>
<aside class="summary" aria-labelledby="summary-heading">
  <h2 id="summary-heading" class="visually-hidden">Order summary</h2>
  <ul id="summary-lines"></ul>
  <dl id="summary-totals"></dl>
</aside>
</main>
<script id="checkout-data" type="application/json">${embed(data)}</script>
<script type="module" src="/checkout/assets/thank-you-page.js"></script>`,
    lang,
    head,
  );
}

export function emptyCheckoutPage(shopName: string, storefrontUrl: string): string {
  return page(
    "Checkout",
    shopName,
    storefrontUrl,
    `<main style="padding:48px;max-width:640px;margin:0 auto"><h1>Your cart is empty</h1>
<p>Add something in the <a href="${escapeHtml(storefrontUrl)}/">store</a>, or open a cart permalink such as <code>/cart/2001:1</code>.</p></main>`,
  );
}
