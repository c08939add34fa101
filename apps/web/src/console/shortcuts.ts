/**
 * The console's keyboard shortcuts: one key each for what a therapist does most while their eyes
 * and hands stay with the client. Plain letters and brackets, no modifiers, and none while typing
 * into a field (the mark's note, a title) or with a modifier held (the browser's own shortcuts).
 */
import { TECHNIQUES, type TechniqueName } from '@attune/engine/technique';

/** What a shortcut does. */
export type ConsoleAction =
  | { readonly kind: 'mark' }
  | { readonly kind: 'start' }
  | { readonly kind: 'fade-out' }
  | { readonly kind: 'end' }
  | { readonly kind: 'energy'; readonly by: number }
  | { readonly kind: 'tempo-policy'; readonly policy: 'follow' | 'hold' | 'guide' }
  | { readonly kind: 'tempo'; readonly by: number }
  | { readonly kind: 'technique'; readonly technique: TechniqueName };

/** The shortcuts as the console lists them. */
export const SHORTCUTS: readonly { readonly keys: string; readonly does: string }[] = [
  { keys: 'M', does: 'Mark this moment' },
  { keys: 'S', does: 'Start the companion' },
  { keys: 'F', does: 'Fade out over two bars' },
  { keys: 'E', does: 'End with a cadence' },
  { keys: '[ ]', does: 'Energy down, up' },
  { keys: 'W H G', does: 'Tempo: follow, hold, guide' },
  { keys: '− +', does: 'Tempo slower, faster (hold and guide)' },
  { keys: '1–9, 0', does: 'Switch a technique on or off' },
];

/** Whether the key went to a control that takes typing (then it is not a shortcut). */
export function isTyping(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLInputElement)
    return !['checkbox', 'range', 'radio', 'button', 'submit'].includes(target.type);
  return target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement;
}

/** The key press as the shortcut map reads it. */
export interface KeyPress {
  readonly key: string;
  readonly ctrlKey?: boolean;
  readonly metaKey?: boolean;
  readonly altKey?: boolean;
  readonly repeat?: boolean;
}

/**
 * The action of a key press, or null when the key is not a shortcut.
 * @example shortcutFor({ key: 'm' }) // { kind: 'mark' }
 * @example shortcutFor({ key: '3' }) // { kind: 'technique', technique: TECHNIQUES[2] }
 */
export function shortcutFor(press: KeyPress): ConsoleAction | null {
  if (press.ctrlKey || press.metaKey || press.altKey || press.repeat) return null;
  switch (press.key) {
    case 'm':
    case 'M':
      return { kind: 'mark' };
    case 's':
    case 'S':
      return { kind: 'start' };
    case 'f':
    case 'F':
      return { kind: 'fade-out' };
    case 'e':
    case 'E':
      return { kind: 'end' };
    case '[':
      return { kind: 'energy', by: -0.1 };
    case ']':
      return { kind: 'energy', by: 0.1 };
    case 'w':
    case 'W':
      return { kind: 'tempo-policy', policy: 'follow' };
    case 'h':
    case 'H':
      return { kind: 'tempo-policy', policy: 'hold' };
    case 'g':
    case 'G':
      return { kind: 'tempo-policy', policy: 'guide' };
    case '-':
    case '_':
      return { kind: 'tempo', by: -4 };
    case '+':
    case '=':
      return { kind: 'tempo', by: 4 };
  }
  if (/^[0-9]$/.test(press.key)) {
    const index = press.key === '0' ? 9 : Number(press.key) - 1;
    const technique = TECHNIQUES[index];
    return technique === undefined ? null : { kind: 'technique', technique };
  }
  return null;
}
