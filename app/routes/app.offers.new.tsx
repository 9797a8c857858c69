// Creating an offer: the template gallery, then the editor prefilled from the template.
import type { MetaFunction, ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Layout, Page, Text } from "@shopify/polaris";
import { authenticateAdmin } from "../shopify.server";
import { loadNewOfferEditor, saveOffer } from "../offers/offers.server";
import { findTemplate, type TemplateId } from "../offers/templates";
import { CREATE_KEY } from "../offers/repository.server";
import { OfferEditor } from "../components/offers/OfferEditor";
import { TemplateGallery } from "../components/offers/TemplateGallery";
import { pageTitle } from "../components/admin/title";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticateAdmin(request);
  const template = findTemplate(new URL(request.url).searchParams.get("template"));
  if (!template) return { editor: null };
  if (template.settingsUrl) throw redirect(template.settingsUrl);
  return { editor: await loadNewOfferEditor({ admin, shop: session.shop }, template.id as TemplateId) };
};

export const meta: MetaFunction<typeof loader> = ({ data }) => pageTitle(data?.editor ? data.editor.input.name.trim() || "New offer" : "Create an offer");

export const action = async ({ request }: ActionFunctionArgs) => {
  const { admin, session } = await authenticateAdmin(request);
  const form = await request.formData();
  let raw: unknown = null;
  try {
    raw = JSON.parse(String(form.get("offer") ?? "null"));
  } catch {
    /* an unreadable post is validated as empty */
  }
  // The form's idempotency key: a double-submitted create makes one offer.
  const createKey = form.get("createKey");
  if (createKey !== null && !(typeof createKey == "string" && CREATE_KEY.test(createKey)))
    throw new Response("The form's key is not one this app made: reload the page and save again.", { status: 400 });
  const result = await saveOffer({ admin, shop: session.shop }, raw, { createKey: createKey ?? undefined });
  if (!result.ok) return result;
  return redirect(`/app/offers/${result.offer.id}?created=1&published=${result.publish.status == "published" ? "ok" : "failed"}`);
};

export default function NewOffer() {
  const { editor } = useLoaderData<typeof loader>();
  if (editor) return <OfferEditor key={editor.input.template} data={editor} />;
  return (
    <Page title="Create an offer" backAction={{ content: "Offers", url: "/app/offers" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Text as="p" tone="subdued">
              Start from a strategy that works. You can change everything before it goes live, and preview it on a sample cart.
            </Text>
            <TemplateGallery />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
