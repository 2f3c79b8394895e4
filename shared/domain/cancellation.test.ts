import { InvalidStateError } from './errors';
import { assertCancellable, refundOnCancel } from './cancellation';

const s = { paymentStatus: 'PAID' as const, price: { amount: 500_000, currency: 'NGN' as const }, scheduledAt: '2026-12-10T10:00:00.000Z', status: 'SCHEDULED' as const };

describe('The cancellation policy', () => {
  it('refunds a student in full up to 24 hours before the start, and nothing later', () => {
    expect(refundOnCancel(s, 'STUDENT', new Date('2026-12-09T10:00:00.000Z'))).toEqual({ refund: true, amount: s.price });
    expect(refundOnCancel(s, 'STUDENT', new Date('2026-12-09T10:00:00.001Z'))).toEqual({ refund: false });
  });

  it('always refunds in full when the tutor or an admin cancels', () => {
    expect(refundOnCancel(s, 'TUTOR', new Date('2026-12-10T09:59:00.000Z'))).toEqual({ refund: true, amount: s.price });
    expect(refundOnCancel(s, 'ADMIN', new Date('2026-12-10T09:59:00.000Z'))).toEqual({ refund: true, amount: s.price });
  });

  it('refunds nothing for an unpaid booking', () => {
    expect(refundOnCancel({ ...s, paymentStatus: 'PENDING' }, 'TUTOR', new Date('2026-12-01T00:00:00Z'))).toEqual({ refund: false });
  });

  it('refuses to cancel a session that has started', () => {
    expect(() => assertCancellable(s, new Date('2026-12-10T10:00:00.000Z'))).toThrow(InvalidStateError);
    expect(() => assertCancellable(s, new Date('2026-12-10T09:59:59.999Z'))).not.toThrow();
  });
});
