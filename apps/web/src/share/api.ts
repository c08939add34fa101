/**
 * Sharing a clip with a family, as the web app uses the studio's API: the therapist's side (a
 * session's links and whether it may be shared, a new link, a link stopped) and the family's side
 * (what a link shows, and the address of its sound), which carries no cookie and no account.
 */
import { ApiError } from '../console/api.ts';
import { request } from '../review/api.ts';

/** A link to a clip, as the therapist sees it (its secret address is shown only once, when made). */
export interface Share {
  readonly id: string;
  readonly sessionId: string;
  readonly client: { readonly id: string; readonly displayName: string };
  readonly from: number;
  readonly to: number;
  readonly note: string;
  readonly showName: boolean;
  readonly createdBy: string | null;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
  readonly state: 'active' | 'expired' | 'revoked' | 'consent-withdrawn';
}

/** Whether a session's clips may be shared now, why not, and whose families they are for. */
export interface Sharing {
  readonly allowed: boolean;
  readonly reason: string | null;
  readonly clients: ReadonlyArray<{ readonly id: string; readonly displayName: string }>;
}

/** A new link as the therapist asks for it. */
export interface NewShare {
  readonly from: number;
  readonly to: number;
  readonly note: string;
  readonly expiresInDays: number;
  readonly client?: string;
  readonly showName?: boolean;
}

/** What a family's link shows. */
export interface SharedClip {
  readonly note: string;
  /** Seconds. */
  readonly duration: number;
  readonly expiresAt: string;
  readonly displayName?: string;
}

const base = (session: string) => `/api/sessions/${encodeURIComponent(session)}/shares`;

/** A session's links, newest first, and whether a new one may be made. */
export function listShares(session: string): Promise<{ shares: Share[]; sharing: Sharing }> {
  return request('GET', base(session));
}

/** Every link made for a client's family, newest first, across their sessions. */
export async function clientShares(client: string): Promise<Share[]> {
  return (await request<{ shares: Share[] }>('GET', `/api/clients/${encodeURIComponent(client)}/shares`))
    .shares;
}

/** Makes a link; its address (`link`) is shown this once. */
export function createShare(session: string, share: NewShare): Promise<{ share: Share; link: string }> {
  return request('POST', base(session), share);
}

/** Stops a link for good. */
export async function revokeShare(id: string): Promise<Share> {
  return (await request<{ share: Share }>('DELETE', `/api/shares/${encodeURIComponent(id)}`)).share;
}

/** The address of a link's sound. */
export function clipAddress(token: string): string {
  return `/api/shared/${encodeURIComponent(token)}/clip.wav`;
}

/**
 * What a family's link shows, or null when the link has expired or was withdrawn (the studio does
 * not say which). Sent with no cookie: the family has no account, and needs none.
 */
export async function openShared(token: string): Promise<SharedClip | null> {
  let response: Response;
  try {
    response = await fetch(`/api/shared/${encodeURIComponent(token)}`, {
      credentials: 'omit',
      headers: { accept: 'application/json' },
      referrerPolicy: 'no-referrer',
    });
  } catch {
    throw new ApiError(0, 'offline', 'The page cannot reach the studio. Check the connection and try again.');
  }
  if (response.status === 404) return null;
  const answer = (await response.json().catch(() => null)) as
    | (SharedClip & { error?: { code?: string; message?: string } })
    | null;
  if (!response.ok)
    throw new ApiError(
      response.status,
      answer?.error?.code ?? `http-${response.status}`,
      answer?.error?.message ?? 'The clip could not be opened just now. Try again in a while.',
    );
  return answer as SharedClip;
}
