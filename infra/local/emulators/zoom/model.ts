/** The emulator's account: its users, meetings and their recordings, as tests read them. */

export interface EmulatedRecordingFile {
  id: string;
  meetingUuid: string;
  recordingStart: string;
  recordingEnd: string;
  fileType: string;
  fileExtension: string;
  fileSize: number;
  playUrl: string;
  downloadUrl: string;
  status: string;
  recordingType: string;
}

export type EmulatedUserStatus = 'active' | 'inactive' | 'pending';

export interface EmulatedUserInit {
  email: string;
  /** Default: derived from the email. */
  id?: string;
  /** Default active. */
  status?: EmulatedUserStatus;
}

export interface EmulatedUser {
  id: string;
  email: string;
  status: EmulatedUserStatus;
  firstName: string;
  lastName: string;
  createdAt: string;
}

export interface EmulatedMeeting {
  /** The meeting number, as digits. */
  id: string;
  uuid: string;
  hostId: string;
  topic: string;
  type: number;
  startTime: string;
  duration: number;
  timezone: string;
  agenda: string;
  createdAt: string;
  password: string;
  joinUrl: string;
  startUrl: string;
  settings: Record<string, unknown>;
  recordings: EmulatedRecordingFile[];
}

export interface EmulatedRequest {
  method: string;
  path: string;
  status: number;
  at: string;
}
