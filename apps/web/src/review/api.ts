/**
 * The review's side of the studio's HTTP API: a session opened for review (its marks as edited in
 * review and the therapist's tags), its summary (lanes and measures, made once by the studio),
 * its log in pages, the names of the clients on its lanes, marks added, edited and deleted, and
 * the tag list. Refusals arrive as the console's {@link ApiError}s with the studio's sentence.
 */
import type { LogEntry, Mark, SessionSummary } from '@attune/engine';
import { ApiError, api, browserTransport, send } from '../console/api.ts';

/** A session as the review opens it. */
export interface ReviewSession {
  readonly id: string;
  readonly title: string;
  readonly status: 'open' | 'closed';
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly events: number;
}

/** What the review opens with. */
export interface ReviewOpening {
  readonly session: ReviewSession;
  /** Marks added or edited in review (one with a live mark's id is its edit). */
  readonly marks: Mark[];
  /** Ids of marks deleted in review. */
  readonly deleted: string[];
  readonly tags: string[];
}

/** A mark as the therapist sets it. */
export interface MarkInput {
  readonly t: number;
  readonly end: number | null;
  readonly note: string;
  readonly tags: readonly string[];
}

/** Rows of the log per request: an hour of four players (~150 000 events) comes in a few. */
export const LOG_PAGE = 20_000;

type Row = [number, string, number, string, unknown];

/** One request to the studio as JSON, with the CSRF header on a change; a refusal throws an {@link ApiError}. */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await send(browserTransport, method, path, body, () => api.state());
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

const base = (session: string) => `/api/sessions/${encodeURIComponent(session)}`;

/** Opens a session for review. */
export function openReview(session: string): Promise<ReviewOpening> {
  return request('GET', `${base(session)}/review`);
}

/** A session's summary: its lanes as read from the log and its measures, in one (gzipped) answer. */
export function readSummary(session: string): Promise<SessionSummary> {
  return request('GET', `${base(session)}/review/summary`);
}

/** A client linked to a lane of the session, by the name shown in sessions. */
export interface LaneClient {
  readonly participant: string;
  readonly displayName: string;
}

/**
 * The clients on the session's lanes, from its record; none when the record cannot be read (the
 * lanes keep their seat names then).
 */
export async function laneClients(session: string): Promise<LaneClient[]> {
  try {
    const record = await request<{ clients: { displayName: string; participant: string | null }[] }>(
      'GET',
      `${base(session)}/record`,
    );
    return record.clients.flatMap((c) =>
      c.participant === null ? [] : [{ participant: c.participant, displayName: c.displayName }],
    );
  } catch {
    return [];
  }
}

/** The whole log of a session, page after page; `progress` hears how many events have come. */
export async function readLog(
  session: string,
  progress: (done: number) => void = () => {},
): Promise<LogEntry[]> {
  const entries: LogEntry[] = [];
  let after = 0;
  for (;;) {
    const page = await request<{ events: Row[]; next: number | null }>(
      'GET',
      `${base(session)}/review/log?after=${after}&limit=${LOG_PAGE}`,
    );
    for (const [seq, participant, t, type, payload] of page.events)
      entries.push({ seq, participant, t, type, payload });
    progress(entries.length);
    if (page.next === null) return entries;
    after = page.next;
  }
}

const body = (mark: MarkInput) => ({ t: mark.t, end: mark.end, note: mark.note, tags: [...mark.tags] });

export async function addMark(session: string, mark: MarkInput): Promise<Mark> {
  return (await request<{ mark: Mark }>('POST', `${base(session)}/marks`, body(mark))).mark;
}

export async function editMark(session: string, id: string, mark: MarkInput): Promise<Mark> {
  return (
    await request<{ mark: Mark }>('PUT', `${base(session)}/marks/${encodeURIComponent(id)}`, body(mark))
  ).mark;
}

export function deleteMark(session: string, id: string): Promise<void> {
  return request('DELETE', `${base(session)}/marks/${encodeURIComponent(id)}`);
}

export async function saveTags(tags: readonly string[]): Promise<string[]> {
  return (await request<{ tags: string[] }>('PUT', '/api/tags', { tags: [...tags] })).tags;
}
