/**
 * The review's address: `/review/:sessionId`. Kept apart from the console's router table so the
 * review can be added with one line in the app; a session id is as the studio hands them out.
 */
const REVIEW = /^\/review\/([A-Za-z0-9_-]{1,64})\/?$/;

/**
 * The session a review address names, or null.
 * @example reviewSessionOf('/review/abc') // 'abc'
 */
export function reviewSessionOf(pathname: string): string | null {
  return REVIEW.exec(pathname)?.[1] ?? null;
}

/** The review address of a session. */
export function reviewPath(session: string): string {
  return `/review/${encodeURIComponent(session)}`;
}
