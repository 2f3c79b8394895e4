/** Meetings and their cloud recordings: create, read (a fresh start_url each time), update, delete, list, and as Zoom describes them. */
import { randomBytes } from 'node:crypto';
import { LIST_MEETING_TYPES, ZOOM_PAGE_SIZE_MAX, type ListMeetingType } from '../../../../shared/schemas/zoom';
import { apiError, invalid, token, utc } from './http';
import type { EmulatedMeeting, EmulatedRecordingFile, EmulatedUser } from './model';
import { meetingBody } from './rules';

export interface MeetingsOptions {
  accountId: string;
  hostEmail: string;
  users: ReadonlyMap<string, EmulatedUser>;
  now: () => number;
}

export const createMeetings = (opts: MeetingsOptions) => {
  const { hostEmail, users, now } = opts;
  /** Meetings whose topic contains one of these fail to be created (POST /_emulator/faults/meetings). */
  const failingTopics = new Set<string>();
  const meetings = new Map<string, EmulatedMeeting>();
  const deletedMeetings = new Map<string, EmulatedMeeting>();
  let nextId = 81_000_000_000 + Math.floor(Math.random() * 900_000_000);

  const meetingData = (m: EmulatedMeeting) => ({
    uuid: m.uuid,
    // Zoom documents a string and sends an integer.
    id: Number(m.id),
    host_id: m.hostId,
    host_email: users.get(m.hostId)?.email ?? hostEmail,
    assistant_id: '',
    topic: m.topic,
    type: m.type,
    status: 'waiting',
    start_time: m.startTime,
    duration: m.duration,
    timezone: m.timezone,
    agenda: m.agenda,
    created_at: m.createdAt,
    start_url: m.startUrl,
    join_url: m.joinUrl,
    password: m.password,
    h323_password: m.password.replace(/\D/g, '').padEnd(6, '0').slice(0, 6),
    pstn_password: m.password.replace(/\D/g, '').padEnd(6, '0').slice(0, 6),
    encrypted_password: m.joinUrl.split('pwd=')[1] ?? '',
    settings: m.settings,
    pre_schedule: false,
  });

  const summaryData = (m: EmulatedMeeting) => ({
    uuid: m.uuid,
    id: Number(m.id),
    host_id: m.hostId,
    topic: m.topic,
    type: m.type,
    start_time: m.startTime,
    duration: m.duration,
    timezone: m.timezone,
    created_at: m.createdAt,
    join_url: m.joinUrl,
  });

  const recordingsData = (m: EmulatedMeeting) => ({
    uuid: m.uuid,
    id: Number(m.id),
    account_id: opts.accountId,
    host_id: m.hostId,
    topic: m.topic,
    type: m.type,
    start_time: m.startTime,
    timezone: m.timezone,
    duration: m.duration,
    total_size: m.recordings.reduce((sum, r) => sum + r.fileSize, 0),
    recording_count: m.recordings.length,
    share_url: `https://zoom.us/rec/share/${token(24)}`,
    password: m.password,
    recording_play_passcode: token(24),
    recording_files: m.recordings.map((r) => ({
      id: r.id,
      meeting_id: r.meetingUuid,
      recording_start: r.recordingStart,
      recording_end: r.recordingEnd,
      file_type: r.fileType,
      file_extension: r.fileExtension,
      file_size: r.fileSize,
      play_url: r.playUrl,
      download_url: r.downloadUrl,
      status: r.status,
      recording_type: r.recordingType,
    })),
  });

  const findMeeting = (meetingId: string): EmulatedMeeting => {
    const m = meetings.get(meetingId);
    if (!m) throw apiError(404, 3001, `Meeting does not exist: ${meetingId}.`);
    return m;
  };

  const createMeeting = (host: EmulatedUser, body: unknown) => {
    const parsed = meetingBody.safeParse(body);
    if (!parsed.success) throw invalid(parsed.error);
    const req = parsed.data;
    if ([...failingTopics].some((t) => (req.topic ?? '').includes(t))) throw apiError(500, 500, 'Internal server error (emulated fault)');
    if (host.status !== 'active') throw apiError(400, 1001, `User ${host.email} is not active.`);
    const id = String(nextId++);
    const password =
      req.password ??
      token(6)
        .replace(/[^A-Za-z0-9]/g, 'x')
        .slice(0, 6);
    const settings = req.settings ?? {};
    const m: EmulatedMeeting = {
      id,
      uuid: randomBytes(16).toString('base64'),
      hostId: host.id,
      // Zoom's defaults for what is left out.
      topic: req.topic ?? 'Zoom Meeting',
      type: req.type ?? 2,
      startTime: req.start_time ?? utc(now()),
      duration: req.duration ?? 60,
      timezone: req.timezone ?? 'UTC',
      agenda: req.agenda ?? '',
      createdAt: utc(now()),
      password,
      joinUrl: `https://zoom.us/j/${id}?pwd=${token(24)}`,
      startUrl: `https://zoom.us/s/${id}?zak=${token(48)}`,
      settings: {
        host_video: false,
        participant_video: false,
        join_before_host: false,
        mute_upon_entry: false,
        waiting_room: false,
        auto_recording: 'none',
        approval_type: 2,
        audio: 'both',
        use_pmi: false,
        watermark: false,
        ...settings,
      },
      recordings: [],
    };
    meetings.set(id, m);
    return meetingData(m);
  };

  const updateMeeting = (meetingId: string, body: unknown) => {
    const m = findMeeting(meetingId);
    const parsed = meetingBody.safeParse(body);
    if (!parsed.success) throw invalid(parsed.error);
    const patch = parsed.data;
    if (patch.topic !== undefined) m.topic = patch.topic;
    if (patch.type !== undefined) m.type = patch.type;
    if (patch.password !== undefined) m.password = patch.password;
    if (patch.start_time !== undefined) m.startTime = patch.start_time;
    if (patch.duration !== undefined) m.duration = patch.duration;
    if (patch.timezone !== undefined) m.timezone = patch.timezone;
    if (patch.agenda !== undefined) m.agenda = patch.agenda;
    if (patch.settings) Object.assign(m.settings, patch.settings);
  };

  const deleteMeeting = (meetingId: string) => {
    const m = findMeeting(meetingId);
    meetings.delete(meetingId);
    deletedMeetings.set(meetingId, m);
  };

  const listMeetings = (host: EmulatedUser, query: URLSearchParams) => {
    const type = (query.get('type') ?? 'live') as ListMeetingType;
    if (!(LIST_MEETING_TYPES as readonly string[]).includes(type)) throw apiError(400, 300, `Invalid field: type.`);
    const rawSize = Number(query.get('page_size') ?? 30);
    if (!Number.isInteger(rawSize) || rawSize < 1) throw apiError(400, 300, 'Invalid field: page_size.');
    const pageSize = Math.min(rawSize, ZOOM_PAGE_SIZE_MAX);
    const t = now();
    const all = [...meetings.values()]
      .filter((m) => m.hostId === host.id)
      .filter((m) => (type === 'live' ? false : type === 'upcoming' ? Date.parse(m.startTime) + m.duration * 60_000 >= t : true))
      .sort((a, b) => a.startTime.localeCompare(b.startTime) || a.id.localeCompare(b.id));
    const tokenParam = query.get('next_page_token');
    let offset = 0;
    if (tokenParam) {
      offset = Number(
        Buffer.from(tokenParam, 'base64url')
          .toString('utf8')
          .replace(/^offset:/, ''),
      );
      if (!Number.isInteger(offset) || offset < 0) throw apiError(400, 300, 'Invalid field: next_page_token.');
    } else if (query.get('page_number')) {
      offset = (Math.max(1, Number(query.get('page_number')) || 1) - 1) * pageSize;
    }
    const page = all.slice(offset, offset + pageSize);
    const more = offset + pageSize < all.length;
    return {
      page_count: Math.ceil(all.length / pageSize),
      page_number: Math.floor(offset / pageSize) + 1,
      page_size: pageSize,
      total_records: all.length,
      next_page_token: more ? Buffer.from(`offset:${offset + pageSize}`, 'utf8').toString('base64url') : '',
      meetings: page.map(summaryData),
    };
  };

  const recordings = (meetingId: string) => {
    const m = meetings.get(meetingId);
    if (!m || m.recordings.length === 0) throw apiError(404, 3301, 'This recording does not exist.');
    return recordingsData(m);
  };

  const addRecording = (meetingId: string): EmulatedRecordingFile[] => {
    const m = meetings.get(meetingId);
    if (!m) throw new Error(`Unknown meeting ${meetingId}`);
    const start = Date.parse(m.startTime);
    const end = start + m.duration * 60_000;
    const file = (fileType: string, fileExtension: string, recordingType: string, fileSize: number): EmulatedRecordingFile => {
      const id = token(16);
      return {
        id,
        meetingUuid: m.uuid,
        recordingStart: utc(start),
        recordingEnd: utc(end),
        fileType,
        fileExtension,
        fileSize,
        playUrl: `https://zoom.us/rec/play/${token(32)}`,
        downloadUrl: `https://zoom.us/rec/download/${token(32)}`,
        status: 'completed',
        recordingType,
      };
    };
    const files = [file('MP4', 'MP4', 'shared_screen_with_speaker_view', 48_512_000), file('M4A', 'M4A', 'audio_only', 6_120_000)];
    m.recordings.push(...files);
    return files;
  };

  return {
    meetings,
    deletedMeetings,
    failingTopics,
    meetingData,
    recordingsData,
    findMeeting,
    createMeeting,
    updateMeeting,
    deleteMeeting,
    listMeetings,
    recordings,
    addRecording,
  };
};
