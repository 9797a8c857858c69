// Every admin page's document title: the page's own name first (what a tab, the history
// and a screen reader announce), then the app's.
export const pageTitle = (name: string) => [{ title: `${name} · Cartlift` }];
