/** A deadline warning starts a day before the legal limit, so staff can act well before it. */
export const WARN_HOURS = 24;
