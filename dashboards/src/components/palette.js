// The site's series colours (categorical), chosen to read on both the light and the dark theme. Pages use these for
// scenarios, rules, tiers and programs so the same kind of thing has the same colour everywhere.
export const SERIES = ['#4c6ef5', '#f59f00', '#12b886', '#e64980', '#7950f2', '#15aabf', '#fa5252', '#868e96'];

/** Status colours used in charts (text badges use the CSS variables in style.css). */
export const STATUS = { ok: '#12b886', warn: '#f59f00', fail: '#fa5252' };
