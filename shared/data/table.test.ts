import { withdrawalResponse } from '../schemas/payouts';
import { sessionResponse } from '../schemas/session';
import { projectionOf, SESSION_FIELDS, TABLE, WITHDRAWAL_ONLY_FIELDS } from './table';

describe('The indexes of the table', () => {
  it('project every field the API shows of a session into the dashboards, and no workflow token or version', () => {
    expect([...SESSION_FIELDS].sort()).toEqual(Object.keys(sessionResponse.shape).sort());
    for (const id of ['gsi1', 'gsi2']) {
      const index = TABLE.indexes.find((i) => i.id === id)!;
      const projection = projectionOf(index);
      expect(projection.ProjectionType).toBe('INCLUDE');
      const fields = 'NonKeyAttributes' in projection ? projection.NonKeyAttributes : [];
      for (const internal of ['version', 'approvalTaskToken', 'paymentTaskToken', 'timelineTaskToken']) expect(fields).not.toContain(internal);
    }
  });

  it('project every field the API shows of a withdrawal into the tutor’s index', () => {
    const projection = projectionOf(TABLE.indexes.find((i) => i.id === 'gsi2')!);
    const fields = 'NonKeyAttributes' in projection ? projection.NonKeyAttributes : [];
    expect(new Set([...SESSION_FIELDS, ...WITHDRAWAL_ONLY_FIELDS])).toEqual(new Set([...SESSION_FIELDS, ...Object.keys(withdrawalResponse.shape)]));
    for (const field of Object.keys(withdrawalResponse.shape)) expect(fields).toContain(field);
  });

  it('stay within the 100 projected attributes DynamoDB allows across a table', () => {
    const named = TABLE.indexes.map(projectionOf).reduce((n, p) => n + ('NonKeyAttributes' in p ? p.NonKeyAttributes.length : 0), 0);
    expect(named).toBeLessThanOrEqual(100);
  });
});
