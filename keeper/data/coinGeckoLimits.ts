// Apart from the provider so that the keeper's config can check against it without loading the CoinGecko SDK.

/**
 * Days of closes read per asset before the cut-off: enough for a listing-history minimum up to 330 days. Not a
 * full year: the public and demo plans refuse a range that starts more than 365 days before now (401, error
 * 10012), and the build runs after its cut-off (a day later on Monday, later still on a catch-up), so a fixed
 * 330 days keeps every build up to 35 days late inside that limit and reading the same window.
 */
export const COINGECKO_LOOKBACK_DAYS = 330;
/** The most days of closes the provider can report for an asset (the cut-off's and the 330 before it). */
export const COINGECKO_MAX_HISTORY_DAYS = COINGECKO_LOOKBACK_DAYS + 1;
