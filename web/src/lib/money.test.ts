import { formatMoney, previewPrice, toMajorUnits, toMinorUnits } from './money';

describe('Money on screen', () => {
  it('shows minor units as the currency’s major units', () => {
    expect(formatMoney({ amount: 375_000, currency: 'NGN' }, 'en-NG')).toBe('₦3,750.00');
    expect(formatMoney({ amount: 1_050, currency: 'USD' }, 'en-US')).toBe('$10.50');
  });

  it('previews the price the server charges: the hourly rate pro rata, rounded half up to a minor unit', () => {
    expect(previewPrice({ amount: 500_000, currency: 'NGN' }, 30)).toEqual({ amount: 250_000, currency: 'NGN' });
    expect(previewPrice({ amount: 10_001, currency: 'NGN' }, 45)).toEqual({ amount: 7_501, currency: 'NGN' });
    expect(previewPrice({ amount: 750_000, currency: 'NGN' }, 90)).toEqual({ amount: 1_125_000, currency: 'NGN' });
  });

  it('reads a typed rate into minor units, and refuses what is not an amount', () => {
    expect(toMinorUnits('15000', 'NGN')).toBe(1_500_000);
    expect(toMinorUnits('15,000.5', 'NGN')).toBe(1_500_050);
    expect(toMinorUnits(' 0.07 ', 'NGN')).toBe(7);
    for (const bad of ['', 'abc', '1.234', '-5', '1e3']) expect(toMinorUnits(bad, 'NGN')).toBeNull();
    expect(toMajorUnits({ amount: 1_500_050, currency: 'NGN' })).toBe('15000.50');
  });
});
