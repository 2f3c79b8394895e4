/**
 * An application to tutor: a signed-in user sends the profile they would publish, an admin
 * approves or declines it. Approval first claims the application (APPROVING) so that no
 * decline can slip in while the identity provider is being changed, then grants the role,
 * publishes the profile and tells the applicant in one transaction (APPROVED). An approval
 * that stopped half-way stays APPROVING and is finished by approving again.
 */
export const TUTOR_APPLICATION_STATUSES = ['PENDING', 'APPROVING', 'APPROVED', 'DECLINED'] as const;
export type TutorApplicationStatus = (typeof TUTOR_APPLICATION_STATUSES)[number];

/** `Profile` is the profile the applicant would publish: TutorApplication in shared/schemas/tutor.ts fills it in. */
export interface TutorApplicationOf<Profile> {
  userId: string;
  status: TutorApplicationStatus;
  /** Who applied, as their token or user item named them when they did. */
  applicant: { displayName: string; email: string };
  profile: Profile;
  submittedAt: string;
  updatedAt: string;
  /** The admin who decided, and when; null while pending. */
  decidedBy: string | null;
  decidedAt: string | null;
  /** Why it was declined (told to the applicant); null otherwise. */
  reason: string | null;
}
