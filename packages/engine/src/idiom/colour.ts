/**
 * The idioms of particular colour: the blues with its blue third, and clusters for intense moments.
 */
import { chordOf as c, type Idiom } from './types.ts';

export const BLUES: Idiom = {
  name: 'blues',
  description: 'The twelve-bar blues: I7–IV7–V7sus4 with the blue minor third against the major.',
  // Mixolydian plus the blue minor third: every note of I7, IV7 and V7sus4 and the blue note.
  scale: [0, 2, 3, 4, 5, 7, 9, 10],
  chords: {
    I7: c(1, 'dom7'),
    I6: c(1, '6'),
    ii7: c(2, 'min7'),
    IV7: c(5, 'dom7'),
    IV: c(5, 'maj'),
    V7sus4: c(6, '7sus4'),
    vi7: c(7, 'min7'),
  },
  tonic: 'I7',
  motion: {
    vamps: [
      ['I7', 'IV7'],
      ['I6', 'IV7'],
    ],
    progressions: [
      ['I7', 'IV7', 'I7', 'I7', 'IV7', 'IV7', 'I7', 'I7', 'V7sus4', 'IV7', 'I7', 'V7sus4'],
      ['I7', 'IV7', 'I7', 'V7sus4'],
      ['I6', 'vi7', 'ii7', 'V7sus4'],
    ],
    pedals: [{ degree: 1, chords: ['I7', 'IV7', 'I7', 'IV'] }],
    cadence: ['V7sus4', 'IV7', 'I7'],
  },
  textures: {
    bass: ['walking', 'root-fifth'],
    'piano-left': ['block', 'broken'],
    'piano-right': ['block', 'broken'],
    mallets: ['ostinato'],
    percussion: ['steady', 'drive'],
    pad: ['sustain'],
  },
};

export const CLUSTERS: Idiom = {
  name: 'clusters',
  description: 'For intense moments: semitone clusters in the octatonic scale, shifting by minor thirds.',
  // The octatonic (half-whole) scale: every cluster a semitone–tone–semitone, symmetrical by minor thirds.
  scale: [0, 1, 3, 4, 6, 7, 9, 10],
  chords: {
    'I(b9)': c(1, 'maj-b9'),
    Icl: c(1, 'cluster'),
    'I°7': c(1, 'dim7'),
    Isplit: c(1, 'split-fifth'),
    'bIII(b9)': c(3, 'maj-b9'),
    bIIIcl: c(3, 'cluster'),
    'bV(b9)': c(5, 'maj-b9'),
    bVcl: c(5, 'cluster'),
    VIcl: c(7, 'cluster'),
  },
  tonic: 'I(b9)',
  motion: {
    vamps: [
      ['Icl', 'bIIIcl'],
      ['Icl', 'bVcl'],
      ['I(b9)', 'bV(b9)'],
    ],
    progressions: [
      ['Icl', 'bIIIcl', 'bVcl', 'VIcl'],
      ['Isplit', 'bIIIcl', 'Isplit', 'VIcl'],
      ['I(b9)', 'bIII(b9)', 'bV(b9)', 'I°7'],
    ],
    pedals: [{ degree: 1, chords: ['Icl', 'bIIIcl', 'bVcl', 'bIIIcl'] }],
    cadence: ['bVcl', 'I°7', 'I(b9)'],
  },
  textures: {
    bass: ['drone', 'root'],
    'piano-left': ['tremolo', 'block'],
    'piano-right': ['tremolo', 'block'],
    mallets: ['tremolo'],
    percussion: ['drive', 'steady'],
    pad: ['tremolo', 'sustain'],
  },
};
