/**
 * The exports' side of the studio's HTTP API: the addresses of a session's MIDI file and measures
 * (plain downloads), and the WAV export as a job: started, asked how far it has got, cancelled,
 * and its file fetched once done.
 */
import { type ApiError, api, browserTransport, send } from '../console/api.ts';
import { filenameOf, saveBlob } from '../console/downloads.ts';
import { request } from '../review/api.ts';

/** Where a WAV export is. */
export type JobState = 'queued' | 'rendering' | 'done' | 'failed' | 'cancelled';

/** A WAV export as the studio reports it. */
export interface ExportJob {
  readonly id: string;
  readonly session: string;
  readonly state: JobState;
  /** Share of the render done, 0..1. */
  readonly progress: number;
  /** Exports to make before this one starts. */
  readonly ahead: number;
  readonly seconds: number | null;
  readonly error: string | null;
}

const base = (session: string) => `/api/sessions/${encodeURIComponent(session)}`;

/** The addresses of a session's downloads. */
export function downloads(session: string) {
  return {
    midi: `${base(session)}/export.mid`,
    measuresCsv: `${base(session)}/measures.csv`,
    pairsCsv: `${base(session)}/measures.csv?table=pairs`,
    measuresJson: `${base(session)}/measures.json`,
  };
}

/** Starts a WAV export of the session (or of the span from..to seconds). */
export async function startWav(
  session: string,
  span: { from?: number; to?: number } = {},
): Promise<ExportJob> {
  return (await request<{ job: ExportJob }>('POST', `${base(session)}/exports/wav`, span)).job;
}

/** How far a WAV export has got. */
export async function readJob(job: string): Promise<ExportJob> {
  return (await request<{ job: ExportJob }>('GET', `/api/exports/${encodeURIComponent(job)}`)).job;
}

/** Cancels a WAV export. */
export function cancelJob(job: string): Promise<void> {
  return request<void>('DELETE', `/api/exports/${encodeURIComponent(job)}`);
}

/** The address of a finished WAV export's file. */
export function jobFile(job: string): string {
  return `/api/exports/${encodeURIComponent(job)}/file`;
}

/** Has the browser save the file at `href` (the studio names it). */
export function saveFile(href: string): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = '';
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
}

/**
 * Fetches a small file (a MIDI file, measures) and has the browser save it; a refusal throws an
 * {@link ApiError} with the studio's sentence, so the page can say what went wrong.
 */
export async function fetchAndSave(href: string, fallback: string): Promise<void> {
  const response = await send(browserTransport, 'GET', href, undefined, () => api.state());
  saveBlob(await response.blob(), filenameOf(response.headers.get('content-disposition'), fallback));
}
