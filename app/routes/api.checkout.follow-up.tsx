// The thank-you page's follow-up code (extensions/checkout-offers/src/ThankYou.tsx posts
// here). Authenticated by the checkout session token (`authenticate.public.checkout`: HS256
// with the app's secret, which answers preflights and sets CORS); the shop is the token's
// `dest`, never the body's. The body names only the order; what the code gives comes from
// that order and the published ruleset, read from Shopify (app/offers/follow-up.server.ts).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { followUpCode } from "../offers/follow-up.server";
import { adminForShop, authenticate } from "../shopify.server";

/** The thank-you page's order (`OrderIdentity`) as the Admin API's `Order`. */
const ORDER_ID = /^gid:\/\/shopify\/(?:Order|OrderIdentity)\/(\d+)$/;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { cors } = await authenticate.public.checkout(request);
  return cors(Response.json({ error: "POST the order id." }, { status: 405 }));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { sessionToken, cors } = await authenticate.public.checkout(request);
  const reply = (body: unknown, status = 200) => cors(Response.json(body, { status }));
  if (sessionToken.aud !== process.env.SHOPIFY_API_KEY) return reply({ error: "The token is for another app." }, 401);
  const shop = String(sessionToken.dest ?? "").replace(/^https?:\/\//, "");
  if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(shop)) return reply({ error: "The token names no shop." }, 401);
  let orderId: unknown;
  try {
    orderId = ((await request.json()) as { orderId?: unknown })?.orderId;
  } catch {
    return reply({ error: "Send JSON: { orderId }." }, 400);
  }
  const match = typeof orderId == "string" ? ORDER_ID.exec(orderId) : null;
  if (!match) return reply({ error: "orderId must be an order's global id." }, 400);
  const { admin } = await adminForShop(shop);
  const answer = await followUpCode(admin, {
    shop,
    orderId: `gid://shopify/Order/${match[1]}`,
    secret: process.env.SHOPIFY_API_SECRET ?? "",
    now: Date.now(),
  });
  return reply(answer.body, answer.status);
};
