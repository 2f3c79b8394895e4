/** Money as the API sends it: integer minor units and an ISO 4217 code, shown with Intl. */
export interface Money {
  amount: number;
  currency: string;
}

const formatter = (currency: string, locale?: string) => new Intl.NumberFormat(locale, { style: 'currency', currency });

/** Minor units per major unit for the currency (100 for NGN's kobo). */
export const minorUnitsPer = (currency: string): number => 10 ** (formatter(currency, 'en').resolvedOptions().maximumFractionDigits ?? 2);

/** "₦15,000.00" (or "NGN 15,000.00", as the locale writes it). */
export const formatMoney = (m: Money, locale?: string): string => formatter(m.currency, locale).format(m.amount / minorUnitsPer(m.currency));

/** A major-unit amount typed by a person ("150.5") to minor units, or null when it is not one. */
export const toMinorUnits = (typed: string, currency: string): number | null => {
  const per = minorUnitsPer(currency);
  const digits = Math.log10(per);
  const pattern = digits > 0 ? new RegExp(`^\\d+(\\.\\d{1,${digits}})?$`) : /^\d+$/;
  const value = typed.trim().replace(/,/g, '');
  if (!pattern.test(value)) return null;
  const [whole, fraction = ''] = value.split('.');
  return Number(whole) * per + Number(fraction.padEnd(digits, '0') || '0');
};

/** The same in the other direction, for a form's initial value ("150.50"). */
export const toMajorUnits = (m: Money): string => {
  const per = minorUnitsPer(m.currency);
  const digits = Math.log10(per);
  return digits > 0 ? `${Math.floor(m.amount / per)}.${String(m.amount % per).padStart(digits, '0')}` : String(m.amount);
};

/**
 * A session's price: the hourly rate pro rata for the duration, rounded half up to a whole
 * minor unit. The server computes the price it charges; this is the preview shown before
 * booking, by the same rule.
 */
export const previewPrice = (hourlyRate: Money, durationMinutes: number): Money => ({
  amount: Math.floor((hourlyRate.amount * durationMinutes + 30) / 60),
  currency: hourlyRate.currency,
});
