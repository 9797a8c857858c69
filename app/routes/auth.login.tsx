// Shopify's login form for installs that start outside the admin (shop domain entry).
import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AppProvider, Button, Card, FormLayout, Page, Text, TextField } from "@shopify/polaris";
import polarisTranslations from "@shopify/polaris/locales/en.json";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { login } from "../shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

function loginErrorMessage(errors: { shop?: string } | undefined): string | undefined {
  if (errors?.shop === "MISSING_SHOP") return "Enter your shop domain to log in";
  if (errors?.shop === "INVALID_SHOP") return "Enter a valid shop domain (your-shop.myshopify.com)";
  return undefined;
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const errors = (await login(request)) as { shop?: string } | undefined;
  return { error: loginErrorMessage(errors) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const errors = (await login(request)) as { shop?: string } | undefined;
  return { error: loginErrorMessage(errors) };
};

export default function Login() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [shop, setShop] = useState("");
  const error = actionData?.error ?? loaderData.error;
  return (
    <AppProvider i18n={polarisTranslations}>
      <Page narrowWidth>
        <Card>
          <Form method="post">
            <FormLayout>
              <Text variant="headingMd" as="h1">Log in to Cartlift</Text>
              <TextField
                type="text"
                name="shop"
                label="Shop domain"
                helpText="example.myshopify.com"
                value={shop}
                onChange={setShop}
                autoComplete="on"
                error={error}
              />
              <Button submit>Log in</Button>
            </FormLayout>
          </Form>
        </Card>
      </Page>
    </AppProvider>
  );
}
