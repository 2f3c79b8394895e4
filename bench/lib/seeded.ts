/** The two tutors bench/scale.ts seeds, and how their seeded history is told from live traffic. */
export const SMALL_TUTOR = 'bench-tutor-small';
export const LARGE_TUTOR = 'bench-tutor-large';

/** The title of the completed sessions bench/calls.ts seeds for the reviews. */
export const SEEDED_TITLE = 'Seeded benchmark session';

/**
 * The seeded sessions are history written straight to the table: their stream records must
 * not start 6,000 workflow executions in the bench's one process (bench/lib/env.ts).
 */
export const isSeededHistory = (record: { dynamodb?: { NewImage?: Record<string, { S?: string }> } }): boolean => {
  const tutorId = record.dynamodb?.NewImage?.tutorId?.S;
  return tutorId === SMALL_TUTOR || tutorId === LARGE_TUTOR || record.dynamodb?.NewImage?.title?.S === SEEDED_TITLE;
};
