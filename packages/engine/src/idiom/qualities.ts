/**
 * Chord qualities as intervals in semitones above the root, in stacking order (the order a
 * pianist builds the chord from the root up). Every quality an idiom uses is listed here, so a
 * chord's pitch classes follow from its root and its quality alone.
 */

export const QUALITIES = {
  maj: [0, 4, 7],
  min: [0, 3, 7],
  dim: [0, 3, 6],
  aug: [0, 4, 8],
  sus2: [0, 2, 7],
  sus4: [0, 5, 7],
  '6': [0, 4, 7, 9],
  add9: [0, 4, 7, 14],
  maj7: [0, 4, 7, 11],
  min7: [0, 3, 7, 10],
  dom7: [0, 4, 7, 10],
  '7sus4': [0, 5, 7, 10],
  '7#5': [0, 4, 8, 10],
  '7b5': [0, 4, 6, 10],
  dim7: [0, 3, 6, 9],
  /** An open fifth: the organum and drone sonority. */
  fifth: [0, 7],
  /** Stacked perfect fourths. */
  quartal: [0, 5, 10],
  /** Two stacked fifths (root, fifth, ninth): the open sound of parallel organum. */
  fifths: [0, 7, 14],
  /** Four notes in a semitone–tone–semitone cluster. */
  cluster: [0, 1, 3, 4],
  /** A major triad with the minor ninth rubbing against the root. */
  'maj-b9': [0, 4, 7, 13],
  /** Two fifths a semitone apart: the harshest of the clusters. */
  'split-fifth': [0, 7, 1, 6],
} as const satisfies Record<string, readonly number[]>;

/** The name of a chord quality. */
export type Quality = keyof typeof QUALITIES;

/** Whether a string names a chord quality. */
export function isQuality(name: string): name is Quality {
  return Object.hasOwn(QUALITIES, name);
}
