/**
 * The API's shapes the screens use, all from the OpenAPI document (the client package's
 * generated types): what the screens send, and what the API answers.
 */
import type { Body, components, operations } from '@mentorship/client';

type Schemas = components['schemas'];

/** The JSON body an operation takes. */
export type RequestBody<Op extends keyof operations> = operations[Op] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
/** The query parameters an operation takes. */
export type QueryOf<Op extends keyof operations> = operations[Op]['parameters'] extends { query?: infer Q } ? NonNullable<Q> : never;

export type Money = Schemas['Money'];
export type BookingInput = RequestBody<'createSession'>;
/** A session length that exists (15, 30, …, 240 minutes). */
export type SessionDuration = BookingInput['durationMinutes'];
export type Currency = Money['currency'];
export type SessionStatus = QueryOf<'listAdminSessions'>['status'];
export type Session = Schemas['Session'];
export type PaymentStatus = Session['paymentStatus'];
export type BookingMode = Session['bookingMode'];
export type PartySummary = Schemas['PartySummary'];
/** A tutor's dashboard row: the session and what the tutor earns from it. */
export type TutorSession = Schemas['TutorSession'];
/** GET /sessions/{id}: the session page. */
export type SessionPage = Schemas['SessionPage'];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The tutor profile as sent (PUT /tutors/me, POST /me/tutor-application), every field given. */
export type TutorProfileInput = Required<RequestBody<'putMyTutorProfile'>>;
export type AvailabilityWindow = TutorProfileInput['availability'][number];
export type Weekday = AvailabilityWindow['day'];
export type TutorProfile = Schemas['TutorProfile'];
export type TutorPage = Schemas['TutorPage'];
export type Review = Schemas['Review'];
export type Slots = Schemas['Slots'];
export type Slot = Slots['items'][number];
export type Payment = Schemas['Payment'];
export type TutorStats = Schemas['TutorStats'];
export type LedgerEntry = Schemas['LedgerEntry'];
/** GET /me/wallet: `available` can be withdrawn now, `pending` is on its way out in withdrawals not yet settled. */
export type Wallet = Schemas['Wallet'];
/** An inbox item; `sessionId` is absent for account events (an application to tutor answered). */
export type Notification = Schemas['Notification'];
export type NotificationAction = Notification['action'];
export type Recording = Schemas['Recording'];
export type Me = Schemas['Me'];
export type Role = Me['roles'][number];
export type TutorApplication = Schemas['TutorApplication'];
export type TutorApplicationStatus = TutorApplication['status'];
/** GET/PUT /me/preferences: the time zone emails use and the optional email kinds. */
export type Preferences = Schemas['Preferences'];
export type EmailKind = keyof Preferences['email'];
export type PreferencesInput = RequestBody<'putMyPreferences'>;
/** What one-click unsubscribe switched off. */
export type Unsubscribed = Body<'emailUnsubscribe'>;

export type StudentView = QueryOf<'listMySessions'>['view'];
export type TutorView = QueryOf<'listTutorSessions'>['view'];

/** Every session length there is, as the document lists them. */
export const SESSION_DURATIONS = [15, 30, 45, 60, 75, 90, 105, 120, 135, 150, 165, 180, 195, 210, 225, 240] as const satisfies readonly SessionDuration[];

/** A number as a session length, or undefined when it is none. */
export const asDuration = (n: number): SessionDuration | undefined => SESSION_DURATIONS.find((d) => d === n);

export const CURRENCIES = ['NGN', 'GHS', 'ZAR', 'KES', 'USD'] as const satisfies readonly Currency[];

/** GET /banks: a bank a payout account can be at. */
export type Bank = Schemas['Bank'];
/** GET/PUT /me/payout-account: where withdrawals go, the account name as the bank resolved it (the full number is never sent back). */
export type PayoutAccount = Schemas['PayoutAccount'];
export type PayoutAccountInput = RequestBody<'putMyPayoutAccount'>;
/** The currencies payouts are made in (the banks are listed per currency). */
export type BankCurrency = NonNullable<QueryOf<'listBanks'>['currency']>;
/** POST /me/withdrawals, GET /me/withdrawals: money on its way to the payout account. */
export type Withdrawal = Schemas['Withdrawal'];
export type WithdrawalStatus = Withdrawal['status'];
export type LedgerKind = LedgerEntry['kind'];
