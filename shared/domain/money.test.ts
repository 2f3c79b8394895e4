import { sessionPrice, splitRefund, splitRevenue } from './money';

describe('sessionPrice', () => {
  it('charges the hourly rate pro rata for the duration, in minor units', () => {
    expect(sessionPrice({ amount: 500_000, currency: 'NGN' }, 60)).toEqual({ amount: 500_000, currency: 'NGN' });
    expect(sessionPrice({ amount: 500_000, currency: 'NGN' }, 90)).toEqual({ amount: 750_000, currency: 'NGN' });
    expect(sessionPrice({ amount: 500_000, currency: 'NGN' }, 15)).toEqual({ amount: 125_000, currency: 'NGN' });
  });

  it('rounds a fractional minor unit half up', () => {
    // 10,001 × 45 / 60 = 7,500.75 → 7,501
    expect(sessionPrice({ amount: 10_001, currency: 'NGN' }, 45).amount).toBe(7_501);
    // 10 × 15 / 60 = 2.5 → 3
    expect(sessionPrice({ amount: 10, currency: 'NGN' }, 15).amount).toBe(3);
    // 9 × 15 / 60 = 2.25 → 2
    expect(sessionPrice({ amount: 9, currency: 'NGN' }, 15).amount).toBe(2);
  });

  it('refuses non-integer money and durations', () => {
    expect(() => sessionPrice({ amount: 10.5, currency: 'NGN' }, 60)).toThrow(RangeError);
    expect(() => sessionPrice({ amount: 1000, currency: 'NGN' }, 0)).toThrow(RangeError);
    expect(() => sessionPrice({ amount: -1, currency: 'NGN' }, 60)).toThrow(RangeError);
  });
});

describe('splitRevenue', () => {
  it('gives the tutor 70 % and the platform 30 % of an even amount', () => {
    expect(splitRevenue({ amount: 500_000, currency: 'NGN' })).toEqual({
      tutorShare: { amount: 350_000, currency: 'NGN' },
      platformShare: { amount: 150_000, currency: 'NGN' },
    });
  });

  it('rounds the tutor share down and gives the remainder to the platform', () => {
    // 70 % of 7,501 = 5,250.7 → tutor 5,250, platform 2,251
    expect(splitRevenue({ amount: 7_501, currency: 'NGN' })).toEqual({
      tutorShare: { amount: 5_250, currency: 'NGN' },
      platformShare: { amount: 2_251, currency: 'NGN' },
    });
  });

  it('always adds up to exactly the amount paid', () => {
    for (let amount = 0; amount < 5_000; amount += 1) {
      const { tutorShare, platformShare } = splitRevenue({ amount, currency: 'NGN' });
      expect(tutorShare.amount + platformShare.amount).toBe(amount);
      expect(Number.isInteger(tutorShare.amount)).toBe(true);
      expect(tutorShare.amount).toBeLessThanOrEqual((amount * 7) / 10);
    }
    const big = 9_007_199_254_740; // far above any real price
    const s = splitRevenue({ amount: big, currency: 'NGN' });
    expect(s.tutorShare.amount + s.platformShare.amount).toBe(big);
  });
});

describe('splitRefund', () => {
  const paid = { amount: 500_001, currency: 'NGN' as const };

  it('takes back the whole split when everything is refunded at once', () => {
    expect(splitRefund(paid, 0, paid.amount)).toEqual(splitRevenue(paid));
  });

  it('leaves each side its split of what was finally paid, in whatever steps, and both parts add up', () => {
    const steps = [0, 1, 100_001, 100_002, 333_333, 500_000, 500_001];
    let tutor = 0;
    for (let i = 1; i < steps.length; i += 1) {
      const part = splitRefund(paid, steps[i - 1]!, steps[i]!);
      expect(part.tutorShare.amount + part.platformShare.amount).toBe(steps[i]! - steps[i - 1]!);
      expect(part.tutorShare.amount).toBeGreaterThanOrEqual(0);
      expect(part.platformShare.amount).toBeGreaterThanOrEqual(0);
      tutor += part.tutorShare.amount;
      const kept = splitRevenue({ amount: paid.amount - steps[i]!, currency: 'NGN' });
      expect(splitRevenue(paid).tutorShare.amount - tutor).toBe(kept.tutorShare.amount);
    }
  });

  it('refuses a refund beyond what was paid, or one that goes backwards', () => {
    expect(() => splitRefund(paid, 0, paid.amount + 1)).toThrow(RangeError);
    expect(() => splitRefund(paid, 10, 5)).toThrow(RangeError);
    expect(() => splitRefund(paid, 0, 1.5)).toThrow(RangeError);
  });
});
