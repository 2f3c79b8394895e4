/**
 * Money is an integer number of minor units (kobo for NGN) plus an ISO 4217 code.
 * Prices and the revenue split are computed here and nowhere else.
 */
export const CURRENCIES = ['NGN', 'GHS', 'ZAR', 'KES', 'USD'] as const;
export type Currency = (typeof CURRENCIES)[number];

export interface Money {
  amount: number;
  currency: Currency;
}

/** The tutor's share, in percent of the amount paid. */
export const TUTOR_SHARE_PERCENT = 70;

const assertMinorUnits = (amount: number): void => {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new RangeError(`Money must be a non-negative integer number of minor units, got ${amount}`);
  }
};

/**
 * Price of a session: the hourly rate pro rata for the duration. Rounded half up to a whole
 * minor unit, so a 45-minute session at 10,001 kobo/hour costs 7,501 kobo. Integer arithmetic
 * only: rate × minutes is exact below 2^53, and the rounding is done with integer division.
 */
export const sessionPrice = (hourlyRate: Money, durationMinutes: number): Money => {
  assertMinorUnits(hourlyRate.amount);
  if (!Number.isInteger(durationMinutes) || durationMinutes <= 0) {
    throw new RangeError(`Duration must be a positive whole number of minutes, got ${durationMinutes}`);
  }
  const numerator = hourlyRate.amount * durationMinutes;
  const amount = Math.floor((numerator + 30) / 60);
  return { amount, currency: hourlyRate.currency };
};

export interface RevenueSplit {
  tutorShare: Money;
  platformShare: Money;
}

/**
 * The 70/30 split. The tutor's share is rounded DOWN to a whole minor unit and the platform
 * takes the remainder, so tutorShare + platformShare === amount exactly, always, and the
 * tutor is never paid a fraction of a kobo the platform did not receive.
 */
export const splitRevenue = (paid: Money): RevenueSplit => {
  assertMinorUnits(paid.amount);
  const tutor = Math.floor((paid.amount * TUTOR_SHARE_PERCENT) / 100);
  return {
    tutorShare: { amount: tutor, currency: paid.currency },
    platformShare: { amount: paid.amount - tutor, currency: paid.currency },
  };
};

/**
 * What a refund takes back from each side when the refunded total of a payment goes from
 * `before` to `after` (both within what was paid). Each side keeps its split of what the
 * student finally paid, so partial refunds in any steps end exactly where one refund of
 * their sum would, and both parts add up to `after - before`.
 */
export const splitRefund = (paid: Money, before: number, after: number): RevenueSplit => {
  assertMinorUnits(before);
  assertMinorUnits(after);
  if (before > after || after > paid.amount) throw new RangeError(`A refund goes from ${before} to ${after} of ${paid.amount}`);
  const keptBefore = splitRevenue({ amount: paid.amount - before, currency: paid.currency }).tutorShare.amount;
  const keptAfter = splitRevenue({ amount: paid.amount - after, currency: paid.currency }).tutorShare.amount;
  const tutor = keptBefore - keptAfter;
  return {
    tutorShare: { amount: tutor, currency: paid.currency },
    platformShare: { amount: after - before - tutor, currency: paid.currency },
  };
};
