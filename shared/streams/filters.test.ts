/**
 * The local poller's reading of the mappings' filter patterns (the subset of Lambda's syntax
 * the patterns use): every key must be there and match, a list allows any of its values, a
 * `{ prefix }` matches the start of a string. The same records through the real stream are
 * covered in test/streams/table-streams.test.ts.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { isFor, STREAM_CONSUMER_DEFS, STREAM_CONSUMERS } from './consumers';
import { matches } from './filters';

const record = (eventName: 'INSERT' | 'MODIFY' | 'REMOVE', image: Record<string, string> | undefined): DynamoDBRecord => ({
  eventName,
  dynamodb: image ? { NewImage: Object.fromEntries(Object.entries(image).map(([k, v]) => [k, { S: v }])) } : {},
});

describe('matches', () => {
  it('needs every key of the pattern, with an allowed value', () => {
    const p = { a: ['x', 'y'], b: { c: [{ prefix: 'P#' }] } };
    expect(matches(p, { a: 'y', b: { c: 'P#1' }, extra: 1 })).toBe(true);
    expect(matches(p, { a: 'z', b: { c: 'P#1' } })).toBe(false);
    expect(matches(p, { a: 'x', b: { c: 'Q#1' } })).toBe(false);
    expect(matches(p, { a: 'x' })).toBe(false);
    expect(matches(p, { a: 'x', b: { c: 7 } })).toBe(false);
    expect(matches(p, null)).toBe(false);
  });
});

describe('The consumers’ filters', () => {
  const session = { pk: 'SESSION#01J', sk: 'SESSION', type: 'Session' };
  const notification = { pk: 'USER#u', sk: 'NOTIFICATION#01J', type: 'Notification' };

  it('give startWorkflow a new session item and a decision’s workflow callbacks only', () => {
    expect(isFor('startWorkflow', record('INSERT', session))).toBe(true);
    expect(isFor('startWorkflow', record('INSERT', { pk: 'SESSION#01J', sk: 'CALLBACK#000002', type: 'WorkflowCallback' }))).toBe(true);
    expect(isFor('startWorkflow', record('MODIFY', { pk: 'SESSION#01J', sk: 'CALLBACK#000002', type: 'WorkflowCallback' }))).toBe(false);
    expect(isFor('startWorkflow', record('REMOVE', { pk: 'SESSION#01J', sk: 'CALLBACK#000002', type: 'WorkflowCallback' }))).toBe(false);
    expect(isFor('startWorkflow', record('MODIFY', session))).toBe(false);
    expect(isFor('startWorkflow', record('REMOVE', undefined))).toBe(false);
    expect(isFor('startWorkflow', record('INSERT', { pk: 'SESSION#01J', sk: 'MEETING', type: 'Meeting' }))).toBe(false);
    expect(isFor('startWorkflow', record('INSERT', { pk: 'TUTOR#t', sk: 'HOLD#2026-12-01T10:00', type: 'Hold' }))).toBe(false);
  });

  it('give pushNotifications a new inbox item only: not the counter, the dedupe marker or a read receipt', () => {
    expect(isFor('pushNotifications', record('INSERT', notification))).toBe(true);
    expect(isFor('pushNotifications', record('MODIFY', notification))).toBe(false);
    expect(isFor('pushNotifications', record('INSERT', { pk: 'USER#u', sk: 'NOTIFICATION#~UNREAD', type: 'InboxCounter' }))).toBe(false);
    expect(isFor('pushNotifications', record('INSERT', { pk: 'USER#u', sk: 'NOTIFIED#s#E#', type: 'NotificationDedupe' }))).toBe(false);
  });

  it('give a new inbox item to the push and the email consumers, and a new session to startWorkflow alone', () => {
    expect(STREAM_CONSUMERS.filter((c) => isFor(c, record('INSERT', session)))).toEqual(['startWorkflow']);
    expect(STREAM_CONSUMERS.filter((c) => isFor(c, record('INSERT', notification)))).toEqual(['pushNotifications', 'emailNotifications']);
    expect(isFor('emailNotifications', record('MODIFY', notification))).toBe(false);
    expect(isFor('emailNotifications', record('INSERT', { pk: 'EMAIL#01J', sk: 'SEND', type: 'EmailSend' }))).toBe(false);
  });

  it('give requestRefunds a new meeting sync, never its removal by TTL nor a workflow callback', () => {
    const sync = { pk: 'SESSION#01J', sk: 'ZOOM_SYNC#000003', type: 'MeetingSync' };
    expect(STREAM_CONSUMERS.filter((c) => isFor(c, record('INSERT', sync)))).toEqual(['requestRefunds']);
    expect(isFor('requestRefunds', record('MODIFY', sync))).toBe(false);
    expect(isFor('requestRefunds', record('INSERT', { pk: 'SESSION#01J', sk: 'CALLBACK#000003', type: 'WorkflowCallback' }))).toBe(false);
  });

  it('are plain JSON (what CDK writes into FilterCriteria)', () => {
    const filters = STREAM_CONSUMERS.map((c) => STREAM_CONSUMER_DEFS[c].filters);
    expect(JSON.parse(JSON.stringify(filters))).toEqual(filters);
  });
});
