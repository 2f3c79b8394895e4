/**
 * The API's shapes the screens use. What the screens send is typed from the OpenAPI document
 * (the client package's generated types); the answers are written out here while the document
 * describes them only in words, and become aliases of the generated ones once it gives their
 * schemas (`Body<'getSession'>`).
 */
import type { operations } from '@mentorship/client';
import type { Money } from './money';

export type { Money };

/** The JSON body an operation takes. */
export type RequestBody<Op extends keyof operations> = operations[Op] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
/** The query parameters an operation takes. */
export type QueryOf<Op extends keyof operations> = operations[Op]['parameters'] extends { query?: infer Q } ? NonNullable<Q> : never;

export type BookingInput = RequestBody<'createSession'>;
/** A session length that exists (15, 30, …, 240 minutes). */
export type SessionDuration = BookingInput['durationMinutes'];
export type Currency = RequestBody<'putMyTutorProfile'>['hourlyRate']['currency'];
export type SessionStatus = QueryOf<'listAdminSessions'>['status'];
export type PaymentStatus = 'PENDING' | 'PAID' | 'FAILED' | 'REFUNDED';
export type BookingMode = 'INSTANT' | 'REQUEST';
export type Role = 'student' | 'tutor' | 'admin';
export type Weekday = 'MON' | 'TUE' | 'WED' | 'THU' | 'FRI' | 'SAT' | 'SUN';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PartySummary {
  id: string;
  displayName: string;
}

export interface Session {
  id: string;
  studentId: string;
  tutorId: string;
  student: PartySummary;
  tutor: PartySummary;
  title: string;
  notes: string | null;
  scheduledAt: string;
  durationMinutes: SessionDuration;
  price: Money;
  bookingMode: BookingMode;
  status: SessionStatus;
  paymentStatus: PaymentStatus;
  meetingUrl: string | null;
  approvalNotes: string | null;
  rejectedAt: string | null;
  approvalDeadline: string | null;
  paymentDeadline?: string | null;
  cancellationReason?: string | null;
  cancelledAt?: string | null;
  reviewedAt?: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A tutor's dashboard row: the session and what the tutor earns from it. */
export interface TutorSession extends Session {
  tutorEarnings: Money;
}

/** GET /sessions/{id}: the session page. */
export interface SessionPage extends Session {
  isLive: boolean;
  startsInSeconds: number;
  /** The session's tutor only: the Zoom start link that joins as host. */
  hostStartUrl?: string;
}

export interface AvailabilityWindow {
  day: Weekday;
  start: string;
  end: string;
}

/** The tutor profile as sent (PUT /tutors/me, POST /me/tutor-application), every field given. */
export type TutorProfileInput = Required<RequestBody<'putMyTutorProfile'>>;

export interface TutorProfile extends TutorProfileInput {
  id: string;
  ratingAverage: number | null;
  ratingCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface Review {
  sessionId: string;
  studentName: string;
  rating: number;
  comment: string | null;
  createdAt: string;
}

export interface TutorPage extends TutorProfile {
  recentReviews: Review[];
}

export interface Slot {
  start: string;
  end: string;
}

export interface Payment {
  reference: string;
  authorizationUrl: string;
}

export interface TutorStats {
  pendingApprovals: number;
  pending: number;
  active: number;
  completed: number;
  grossRevenue: Money;
  tutorEarnings: Money;
  walletBalance: Money;
}

export interface LedgerEntry {
  reference: string;
  kind: 'CREDIT' | 'REVERSAL';
  sessionId: string;
  amount: Money;
  createdAt: string;
}

export interface Wallet extends Page<LedgerEntry> {
  balance?: Money;
  grossRevenue?: Money;
  tutorEarnings?: Money;
}

export interface NotificationAction {
  label: string;
  href: string;
}

export interface Notification {
  id: string;
  event: string;
  title: string;
  body: string;
  /** The session it tells of; absent for account events (an application's answer). */
  sessionId?: string;
  action: NotificationAction;
  createdAt: string;
  readAt?: string | null;
}

export interface Recording {
  id: string | null;
  recordingType: string | null;
  fileType: string | null;
  recordingStart: string | null;
  recordingEnd: string | null;
  playUrl: string | null;
  passcode: string | null;
}

export interface Me {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  tutorProfile: TutorProfile | null;
  unreadNotifications: number;
}

export type TutorApplicationStatus = 'PENDING' | 'APPROVING' | 'APPROVED' | 'DECLINED';

export interface TutorApplication {
  userId: string;
  status: TutorApplicationStatus;
  applicant: { displayName: string; email: string };
  profile: TutorProfileInput;
  submittedAt: string;
  updatedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
}

export type StudentView = QueryOf<'listMySessions'>['view'];
export type TutorView = QueryOf<'listTutorSessions'>['view'];

/** Every session length there is, as the document lists them. */
export const SESSION_DURATIONS = [15, 30, 45, 60, 75, 90, 105, 120, 135, 150, 165, 180, 195, 210, 225, 240] as const satisfies readonly SessionDuration[];

/** A number as a session length, or undefined when it is none. */
export const asDuration = (n: number): SessionDuration | undefined => SESSION_DURATIONS.find((d) => d === n);

export const CURRENCIES = ['NGN', 'GHS', 'ZAR', 'KES', 'USD'] as const satisfies readonly Currency[];
