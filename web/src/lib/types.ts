/**
 * The API's shapes the screens use. They mirror the API's responses until the typed client
 * package's generated types cover them; then these become aliases of the generated ones.
 */
import type { Money } from './money';

export type { Money };
export type SessionStatus = 'PENDING_MENTOR_REVIEW' | 'REJECTED' | 'SCHEDULED' | 'IN_PROGRESS' | 'COMPLETED' | 'CANCELLED';
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
  durationMinutes: number;
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

export interface TutorProfileInput {
  displayName: string;
  bio: string;
  hourlyRate: Money;
  durations: number[];
  bookingModes: BookingMode[];
  timezone: string;
  availability: AvailabilityWindow[];
  minimumNoticeMinutes: number;
  bufferMinutes: number;
}

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

export type StudentView = 'awaiting-approval' | 'ready-for-payment' | 'upcoming' | 'history' | 'rejected';
export type TutorView = 'approvals' | 'pending' | 'active' | 'completed';
