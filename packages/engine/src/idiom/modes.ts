/**
 * The modal idioms: major and minor, the church modes the key tracker reports, and the Spanish
 * colour of Phrygian. Seven-note scales (eight for Spanish) with triads and sevenths on their degrees.
 */
import { chordOf as c, type Idiom } from './types.ts';

export const MAJOR: Idiom = {
  name: 'major',
  description: 'Bright and settled: the major scale with I–vi–IV–V and a plagal-then-authentic cadence.',
  scale: [0, 2, 4, 5, 7, 9, 11],
  chords: {
    I: c(1, 'maj'),
    Imaj7: c(1, 'maj7'),
    Iadd9: c(1, 'add9'),
    ii: c(2, 'min'),
    ii7: c(2, 'min7'),
    iii: c(3, 'min'),
    IV: c(4, 'maj'),
    IVmaj7: c(4, 'maj7'),
    V: c(5, 'maj'),
    V7: c(5, 'dom7'),
    Vsus4: c(5, 'sus4'),
    vi: c(6, 'min'),
    vi7: c(6, 'min7'),
  },
  tonic: 'I',
  motion: {
    vamps: [
      ['I', 'IV'],
      ['I', 'V'],
      ['Imaj7', 'IVmaj7'],
    ],
    progressions: [
      ['I', 'vi', 'IV', 'V'],
      ['I', 'IV', 'I', 'V'],
      ['I', 'V', 'vi', 'IV'],
      ['I', 'vi', 'ii7', 'V7'],
    ],
    pedals: [{ degree: 1, chords: ['I', 'IV', 'ii7', 'I'] }],
    cadence: ['IV', 'V7', 'I'],
  },
  textures: {
    bass: ['root-fifth', 'root', 'walking'],
    'piano-left': ['broken', 'block', 'alberti', 'chorale'],
    'piano-right': ['block', 'arpeggio', 'chorale', 'broken', 'alberti'],
    mallets: ['ostinato', 'arpeggio'],
    percussion: ['steady', 'heartbeat'],
    pad: ['sustain'],
  },
};

export const MINOR: Idiom = {
  name: 'minor',
  description:
    'Serious, tender or sad: natural minor, i–bVI–bIII–bVII, rising to the tonic through bVI–bVII.',
  scale: [0, 2, 3, 5, 7, 8, 10],
  chords: {
    i: c(1, 'min'),
    i7: c(1, 'min7'),
    bIII: c(3, 'maj'),
    bIIImaj7: c(3, 'maj7'),
    iv: c(4, 'min'),
    iv7: c(4, 'min7'),
    v: c(5, 'min'),
    v7: c(5, 'min7'),
    bVI: c(6, 'maj'),
    bVImaj7: c(6, 'maj7'),
    bVII: c(7, 'maj'),
  },
  tonic: 'i',
  motion: {
    vamps: [
      ['i', 'bVII'],
      ['i', 'iv'],
      ['i', 'bVI'],
    ],
    progressions: [
      ['i', 'bVI', 'bIII', 'bVII'],
      ['i', 'iv', 'bVII', 'bIII'],
      ['i', 'bVII', 'bVI', 'bVII'],
      ['i7', 'iv7', 'v7', 'i7'],
    ],
    pedals: [{ degree: 1, chords: ['i', 'iv', 'bVII', 'i'] }],
    cadence: ['bVI', 'bVII', 'i'],
  },
  textures: {
    bass: ['root', 'root-fifth'],
    'piano-left': ['broken', 'chorale', 'block'],
    'piano-right': ['arpeggio', 'chorale', 'block', 'broken'],
    mallets: ['arpeggio', 'ostinato'],
    percussion: ['heartbeat', 'steady'],
    pad: ['sustain'],
  },
};

export const DORIAN: Idiom = {
  name: 'dorian',
  description: 'Minor with a bright sixth: the i7–IV7 groove, folk and modal-jazz colour, never quite sad.',
  scale: [0, 2, 3, 5, 7, 9, 10],
  chords: {
    i: c(1, 'min'),
    i7: c(1, 'min7'),
    ii: c(2, 'min'),
    ii7: c(2, 'min7'),
    bIII: c(3, 'maj'),
    bIIImaj7: c(3, 'maj7'),
    IV: c(4, 'maj'),
    IV7: c(4, 'dom7'),
    v: c(5, 'min'),
    v7: c(5, 'min7'),
    bVII: c(7, 'maj'),
  },
  tonic: 'i',
  motion: {
    vamps: [
      ['i7', 'IV7'],
      ['i', 'ii'],
      ['i7', 'IV'],
    ],
    progressions: [
      ['i', 'bIII', 'bVII', 'IV'],
      ['i7', 'IV7', 'i7', 'bVII'],
      ['i7', 'v7', 'bIIImaj7', 'IV'],
    ],
    pedals: [{ degree: 1, chords: ['i7', 'IV', 'bVII', 'i7'] }],
    cadence: ['bVII', 'IV', 'i'],
  },
  textures: {
    bass: ['root-fifth', 'walking', 'root'],
    'piano-left': ['block', 'broken'],
    'piano-right': ['block', 'arpeggio', 'broken'],
    mallets: ['ostinato'],
    percussion: ['steady', 'heartbeat', 'drive'],
    pad: ['sustain'],
  },
};

export const MIXOLYDIAN: Idiom = {
  name: 'mixolydian',
  description: 'Major with a flat seventh: the rocking I–bVII of folk, rock and celebration.',
  scale: [0, 2, 4, 5, 7, 9, 10],
  chords: {
    I: c(1, 'maj'),
    I7: c(1, 'dom7'),
    ii: c(2, 'min'),
    IV: c(4, 'maj'),
    IVmaj7: c(4, 'maj7'),
    v: c(5, 'min'),
    v7: c(5, 'min7'),
    vi: c(6, 'min'),
    bVII: c(7, 'maj'),
    bVIIadd9: c(7, 'add9'),
  },
  tonic: 'I',
  motion: {
    vamps: [
      ['I', 'bVII'],
      ['I', 'IV'],
      ['I7', 'v7'],
    ],
    progressions: [
      ['I', 'bVII', 'IV', 'I'],
      ['I', 'IV', 'bVII', 'IV'],
      ['I', 'v', 'IV', 'bVII'],
    ],
    pedals: [{ degree: 1, chords: ['I', 'bVII', 'IV', 'I'] }],
    cadence: ['bVII', 'IV', 'I'],
  },
  textures: {
    bass: ['root-fifth', 'root', 'walking'],
    'piano-left': ['block', 'broken'],
    'piano-right': ['block', 'broken', 'arpeggio'],
    mallets: ['ostinato'],
    percussion: ['steady', 'drive', 'heartbeat'],
    pad: ['sustain'],
  },
};

export const LYDIAN: Idiom = {
  name: 'lydian',
  description: 'Floating and luminous: major with a raised fourth, the I–II sway of wonder.',
  scale: [0, 2, 4, 6, 7, 9, 11],
  chords: {
    I: c(1, 'maj'),
    Imaj7: c(1, 'maj7'),
    II: c(2, 'maj'),
    II7: c(2, 'dom7'),
    iii: c(3, 'min'),
    V: c(5, 'maj'),
    Vmaj7: c(5, 'maj7'),
    vi: c(6, 'min'),
    vii: c(7, 'min'),
  },
  tonic: 'I',
  motion: {
    vamps: [
      ['I', 'II'],
      ['Imaj7', 'II'],
      ['I', 'vii'],
    ],
    progressions: [
      ['I', 'II', 'vii', 'I'],
      ['Imaj7', 'II', 'iii', 'II'],
      ['I', 'II', 'vi', 'V'],
    ],
    pedals: [{ degree: 1, chords: ['Imaj7', 'II', 'I', 'II7'] }],
    cadence: ['vi', 'II', 'I'],
  },
  textures: {
    bass: ['root', 'root-fifth'],
    'piano-left': ['broken', 'chorale'],
    'piano-right': ['arpeggio', 'chorale', 'broken'],
    mallets: ['arpeggio', 'ostinato'],
    percussion: ['heartbeat'],
    pad: ['sustain'],
  },
};

export const PHRYGIAN: Idiom = {
  name: 'phrygian',
  description:
    'Dark and insistent: minor with a flat second, the i–bII rock and the Andalusian descent iv–bIII–bII–i.',
  scale: [0, 1, 3, 5, 7, 8, 10],
  chords: {
    i: c(1, 'min'),
    i7: c(1, 'min7'),
    bII: c(2, 'maj'),
    bIImaj7: c(2, 'maj7'),
    bIII: c(3, 'maj'),
    iv: c(4, 'min'),
    iv7: c(4, 'min7'),
    bVI: c(6, 'maj'),
    bvii: c(7, 'min'),
  },
  tonic: 'i',
  motion: {
    vamps: [
      ['i', 'bII'],
      ['i', 'bvii'],
    ],
    progressions: [
      ['iv', 'bIII', 'bII', 'i'],
      ['i', 'bII', 'bIII', 'bII'],
      ['i', 'bvii', 'bVI', 'bII'],
    ],
    pedals: [{ degree: 1, chords: ['i', 'bII', 'bIII', 'bII'] }],
    cadence: ['bIII', 'bII', 'i'],
  },
  textures: {
    bass: ['drone', 'root'],
    'piano-left': ['block', 'tremolo', 'broken'],
    'piano-right': ['block', 'broken', 'tremolo'],
    mallets: ['ostinato'],
    percussion: ['heartbeat', 'steady'],
    pad: ['sustain', 'tremolo'],
  },
};

export const SPANISH: Idiom = {
  name: 'spanish',
  description:
    "Phrygian with the 'Spanish' raised third: the flamenco cadence iv–bIII–bII–I lands on a major tonic.",
  // Both thirds belong to the mode: the minor third in bIII and the descent, the major third in the tonic.
  scale: [0, 1, 3, 4, 5, 7, 8, 10],
  chords: {
    I: c(1, 'maj'),
    I7: c(1, 'dom7'),
    bII: c(2, 'maj'),
    bIImaj7: c(2, 'maj7'),
    bIII: c(3, 'maj'),
    iv: c(5, 'min'),
    bVI: c(7, 'maj'),
    bvii: c(8, 'min'),
  },
  tonic: 'I',
  motion: {
    vamps: [
      ['I', 'bII'],
      ['iv', 'I'],
    ],
    progressions: [
      ['iv', 'bIII', 'bII', 'I'],
      ['I', 'bII', 'bIII', 'bII'],
      ['bVI', 'bII', 'iv', 'I7'],
    ],
    pedals: [{ degree: 1, chords: ['I', 'bII', 'bIII', 'bII'] }],
    cadence: ['bIII', 'bII', 'I'],
  },
  textures: {
    bass: ['root', 'root-fifth', 'drone'],
    'piano-left': ['block', 'tremolo', 'broken'],
    'piano-right': ['block', 'tremolo', 'broken'],
    mallets: ['ostinato'],
    percussion: ['steady', 'drive'],
    pad: ['sustain'],
  },
  variantOf: 'phrygian',
};
