/**
 * Saving a file the studio handed over: its name from the answer's `content-disposition`, and the
 * browser's own save, so a client's record and a session's exports are saved the same way.
 */

/**
 * The file name in a `content-disposition` header, or `fallback`.
 * @example filenameOf('attachment; filename="attune-client-a1-2026-11-25.json"', 'x.json') // 'attune-client-a1-2026-11-25.json'
 */
export function filenameOf(disposition: string | null, fallback: string): string {
  const match = /filename="([^"]+)"/.exec(disposition ?? '');
  return match?.[1] ?? fallback;
}

/** Has the browser save `blob` as `filename`. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
