/**
 * The open idioms: scales without semitones, where any pad a client strikes fits any chord:
 * the two pentatonics, the whole-tone scale and organum's open fifths.
 */
import { chordOf as c, type Idiom } from './types.ts';

export const PENTATONIC: Idiom = {
  name: 'pentatonic',
  description: 'No wrong notes: the major pentatonic, open sus and added-sixth chords, nothing that clashes.',
  scale: [0, 2, 4, 7, 9],
  chords: {
    I: c(1, 'maj'),
    I6: c(1, '6'),
    Iadd9: c(1, 'add9'),
    IIsus4: c(2, 'sus4'),
    II7sus4: c(2, '7sus4'),
    IIIq: c(3, 'quartal'),
    Vsus2: c(4, 'sus2'),
    vi: c(5, 'min'),
    vi7: c(5, 'min7'),
  },
  tonic: 'I',
  motion: {
    vamps: [
      ['I', 'vi'],
      ['Iadd9', 'IIsus4'],
      ['I6', 'Vsus2'],
    ],
    progressions: [
      ['I', 'IIsus4', 'vi', 'Vsus2'],
      ['I6', 'vi7', 'II7sus4', 'Vsus2'],
      ['Iadd9', 'IIIq', 'IIsus4', 'I'],
    ],
    pedals: [{ degree: 1, chords: ['I', 'IIsus4', 'Vsus2', 'I'] }],
    cadence: ['vi7', 'Vsus2', 'I'],
  },
  textures: {
    bass: ['root-fifth', 'root'],
    'piano-left': ['broken', 'block'],
    'piano-right': ['arpeggio', 'block', 'broken'],
    mallets: ['ostinato', 'arpeggio'],
    percussion: ['steady', 'heartbeat'],
    pad: ['sustain'],
  },
};

export const MINOR_PENTATONIC: Idiom = {
  name: 'minor-pentatonic',
  description: 'Earthy and open: the minor pentatonic, minor sevenths and sus chords, no semitones anywhere.',
  scale: [0, 3, 5, 7, 10],
  chords: {
    i: c(1, 'min'),
    i7: c(1, 'min7'),
    bIII: c(2, 'maj'),
    bIII6: c(2, '6'),
    IVsus4: c(3, 'sus4'),
    IV7sus4: c(3, '7sus4'),
    Vq: c(4, 'quartal'),
    bVIIsus2: c(5, 'sus2'),
  },
  tonic: 'i',
  motion: {
    vamps: [
      ['i7', 'IVsus4'],
      ['i', 'bVIIsus2'],
      ['i7', 'bIII6'],
    ],
    progressions: [
      ['i', 'bIII', 'IVsus4', 'bVIIsus2'],
      ['i7', 'bVIIsus2', 'bIII', 'IV7sus4'],
      ['i7', 'IVsus4', 'Vq', 'IVsus4'],
    ],
    pedals: [{ degree: 1, chords: ['i7', 'IVsus4', 'bVIIsus2', 'i7'] }],
    cadence: ['IVsus4', 'bVIIsus2', 'i'],
  },
  textures: {
    bass: ['root-fifth', 'root', 'drone'],
    'piano-left': ['block', 'broken'],
    'piano-right': ['block', 'arpeggio', 'broken'],
    mallets: ['ostinato', 'arpeggio'],
    percussion: ['steady', 'heartbeat', 'drive'],
    pad: ['sustain'],
  },
};

export const WHOLE_TONE: Idiom = {
  name: 'whole-tone',
  description: 'Dreamlike and unanchored: six whole tones, augmented chords drifting a tone apart.',
  scale: [0, 2, 4, 6, 8, 10],
  chords: {
    'I+': c(1, 'aug'),
    'I7#5': c(1, '7#5'),
    I7b5: c(1, '7b5'),
    'II+': c(2, 'aug'),
    'II7#5': c(2, '7#5'),
    III7b5: c(3, '7b5'),
    bVII7b5: c(6, '7b5'),
  },
  tonic: 'I+',
  motion: {
    vamps: [
      ['I+', 'II+'],
      ['I7#5', 'II7#5'],
    ],
    progressions: [
      ['I+', 'II+', 'III7b5', 'II+'],
      ['I7#5', 'II7#5', 'I7b5', 'bVII7b5'],
    ],
    pedals: [{ degree: 1, chords: ['I+', 'II7#5', 'I7b5', 'II+'] }],
    cadence: ['III7b5', 'II+', 'I+'],
  },
  textures: {
    bass: ['drone', 'root'],
    'piano-left': ['broken', 'chorale'],
    'piano-right': ['arpeggio', 'tremolo', 'chorale'],
    mallets: ['arpeggio', 'tremolo'],
    percussion: ['heartbeat'],
    pad: ['sustain', 'tremolo'],
  },
};

export const ORGANUM: Idiom = {
  name: 'organum',
  description: 'Ancient and spacious: open fifths over a drone, parallel fifths and sus chords, no thirds.',
  scale: [0, 2, 5, 7, 9],
  chords: {
    I5: c(1, 'fifth'),
    I5add9: c(1, 'fifths'),
    Isus2: c(1, 'sus2'),
    Isus4: c(1, 'sus4'),
    II5: c(2, 'fifth'),
    IIsus4: c(2, 'sus4'),
    IIq: c(2, 'quartal'),
    IV5: c(3, 'fifth'),
    IV5add9: c(3, 'fifths'),
    IVsus2: c(3, 'sus2'),
    V5: c(4, 'fifth'),
    V5add9: c(4, 'fifths'),
    Vsus4: c(4, 'sus4'),
    VIq: c(5, 'quartal'),
  },
  tonic: 'I5',
  motion: {
    vamps: [
      ['I5', 'IV5'],
      ['I5', 'II5'],
      ['Isus2', 'Isus4'],
    ],
    progressions: [
      ['I5', 'IV5', 'I5', 'V5'],
      ['I5', 'II5', 'IV5', 'I5'],
      ['I5add9', 'IV5add9', 'V5add9', 'IV5add9'],
      ['I5', 'VIq', 'IIq', 'Vsus4'],
    ],
    pedals: [{ degree: 1, chords: ['I5', 'IIsus4', 'IVsus2', 'I5'] }],
    cadence: ['V5', 'Isus4', 'I5'],
  },
  textures: {
    bass: ['drone', 'root'],
    'piano-left': ['chorale', 'block'],
    'piano-right': ['chorale', 'block', 'broken'],
    mallets: ['ostinato', 'arpeggio'],
    percussion: ['heartbeat'],
    pad: ['sustain'],
  },
};
