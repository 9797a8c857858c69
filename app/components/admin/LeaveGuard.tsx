// Asks before leaving a page with unsaved changes (links inside the app, and closing or
// reloading the tab), so a merchant never loses an edit by accident.
import { useBeforeUnload, useBlocker } from "@remix-run/react";
import { useCallback, type MutableRefObject } from "react";
import { Modal, Text } from "@shopify/polaris";

/** `submitting`: true while the page's own save or delete runs (its redirect may leave). */
export function LeaveGuard({ dirty, submitting }: { dirty: boolean; submitting?: MutableRefObject<boolean> }) {
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && !submitting?.current && currentLocation.pathname != nextLocation.pathname,
  );
  useBeforeUnload(
    useCallback(
      (event: BeforeUnloadEvent) => {
        if (dirty) event.preventDefault();
      },
      [dirty],
    ),
  );
  return (
    <Modal
      open={blocker.state == "blocked"}
      onClose={() => blocker.reset?.()}
      title="Leave without saving?"
      primaryAction={{ content: "Leave page", destructive: true, onAction: () => blocker.proceed?.() }}
      secondaryActions={[{ content: "Stay", onAction: () => blocker.reset?.() }]}
    >
      <Modal.Section>
        <Text as="p">Your changes on this page are not saved. If you leave, they are lost.</Text>
      </Modal.Section>
    </Modal>
  );
}
