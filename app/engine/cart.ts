// What every surface agrees on about cart lines. (Subtotals and the like are one-line
// reductions each surface writes inline; the engine computes its own.)

/** Line property key surfaces tag an offer's lines with (underscore: hidden at checkout). */
export const OFFER_LINE_PROPERTY = "_cartlift_offer";
