// The analytics page's periods (days ending today in the shop's time zone). Pure.
export const PERIODS = [7, 30, 60, 90] as const;
