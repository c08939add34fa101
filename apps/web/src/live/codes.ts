/**
 * Room codes as people type them: spaces and dashes left out, lower case raised, and the letters
 * a code never holds caught with a clear word (codes are read aloud; I, O, 0 and 1 are left out
 * of new codes so they are not mixed up, but any letters and digits the protocol allows pass).
 */

/** A code typed in, made ready for the room, or why it cannot be one. */
export type CodeCheck =
  | { readonly ok: true; readonly code: string }
  | { readonly ok: false; readonly reason: string };

/**
 * Checks a typed room code.
 * @example normaliseCode(' k7q-p2m ') // { ok: true, code: 'K7QP2M' }
 */
export function normaliseCode(typed: string): CodeCheck {
  const code = typed.replace(/[\s-]/g, '').toUpperCase();
  if (code === '') return { ok: false, reason: 'Type the code your therapist shows you.' };
  if (!/^[A-Z0-9]+$/.test(code)) return { ok: false, reason: 'A room code has only letters and numbers.' };
  if (code.length < 4 || code.length > 12) {
    return { ok: false, reason: `A room code has 6 letters and numbers; this one has ${code.length}.` };
  }
  return { ok: true, code };
}
