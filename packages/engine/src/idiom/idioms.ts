/**
 * The idioms as data: scale, chord vocabulary, harmonic motion and suitable textures. Every chord
 * is a scale-degree root (1-based, into the idiom's own scale) with a quality, and every chord's
 * notes lie in the scale, so whatever the companion plays from this table stays in the idiom.
 * Chords are named by Roman numerals measured from the tonic (bVII is a whole tone below it).
 */
import type { TextureStyle, Voice } from '../texture/styles.ts';
import type { Quality } from './qualities.ts';

/** A chord in an idiom: a root given as a 1-based degree of the idiom's scale, and a quality. */
export interface ChordSpec {
  readonly degree: number;
  readonly quality: Quality;
}

/** A pedal point: the bass holds one degree while the chords above it move. */
export interface PedalSpec {
  readonly degree: number;
  readonly chords: readonly string[];
}

/** How harmony moves in an idiom; chords are named by their symbols in the vocabulary. */
export interface IdiomMotion {
  /** Two chords rocking back and forth: the simplest frame under a client's beating. */
  readonly vamps: readonly (readonly string[])[];
  /** Progressions of four or more chords, each one phrase long. */
  readonly progressions: readonly (readonly string[])[];
  readonly pedals: readonly PedalSpec[];
  /** The formula that closes a phrase; its last chord is the tonic. */
  readonly cadence: readonly string[];
}

/** The textures that suit an idiom, per voice, the most characteristic first. */
export type IdiomTextures = { readonly [V in Voice]: readonly TextureStyle<V>[] };

/** The names of the idioms. */
export type IdiomName =
  | 'major'
  | 'minor'
  | 'pentatonic'
  | 'minor-pentatonic'
  | 'dorian'
  | 'mixolydian'
  | 'lydian'
  | 'phrygian'
  | 'spanish'
  | 'whole-tone'
  | 'organum'
  | 'blues'
  | 'clusters';

/** A harmonic and modal frame for the companion and the clients' pads. */
export interface Idiom {
  readonly name: IdiomName;
  /** One line, for `attune idioms`. */
  readonly description: string;
  /** Pitch classes in semitones above the tonic, ascending from 0. */
  readonly scale: readonly number[];
  /** The chord vocabulary, keyed by symbol. */
  readonly chords: { readonly [symbol: string]: ChordSpec };
  /** The symbol of the home chord. */
  readonly tonic: string;
  readonly motion: IdiomMotion;
  readonly textures: IdiomTextures;
  /** For a variant, the idiom it varies (the Spanish colour of Phrygian). */
  readonly variantOf?: IdiomName;
}

const c = (degree: number, quality: Quality): ChordSpec => ({ degree, quality });

const MAJOR: Idiom = {
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

const MINOR: Idiom = {
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

const PENTATONIC: Idiom = {
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

const MINOR_PENTATONIC: Idiom = {
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

const DORIAN: Idiom = {
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

const MIXOLYDIAN: Idiom = {
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

const LYDIAN: Idiom = {
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

const PHRYGIAN: Idiom = {
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

const SPANISH: Idiom = {
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

const WHOLE_TONE: Idiom = {
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

const ORGANUM: Idiom = {
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

const BLUES: Idiom = {
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

const CLUSTERS: Idiom = {
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

/** Every idiom, in the order `attune idioms` lists them. */
export const IDIOMS: readonly Idiom[] = [
  MAJOR,
  MINOR,
  PENTATONIC,
  MINOR_PENTATONIC,
  DORIAN,
  MIXOLYDIAN,
  LYDIAN,
  PHRYGIAN,
  SPANISH,
  WHOLE_TONE,
  ORGANUM,
  BLUES,
  CLUSTERS,
];
