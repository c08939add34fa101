/**
 * The assessment scales a session can be rated on, as data: the Nordoff-Robbins Scale I
 * (client–therapist relationship) and Scale II (musical communicativeness), and Bruscia's
 * Improvisation Assessment Profiles. Each scale is a list of items; each item has ordered levels.
 * Labels are the scales' own short names where they could be checked against the published
 * forms, and neutral ("level 4") where not: the behavioural criteria of every level are in the
 * source manuals, which a rater needs beside them (see docs/ASSESSMENT.md).
 */

/** The scales Attune knows, by the id a stored rating keeps. */
export const SCALE_IDS = ['nordoff-robbins-1', 'nordoff-robbins-2', 'iap'] as const;
export type ScaleId = (typeof SCALE_IDS)[number];

/** One level of an item: the number a rater gives, and its short name where it is known. */
export interface ScaleLevel {
  readonly value: number;
  /** The level's short name from the source, or null where the manual must be consulted. */
  readonly label: string | null;
}

/** One thing rated on a scale: a mode of Scale II, a profile on one element of the IAPs, … */
export interface ScaleItem {
  /** Stable id kept in stored ratings, e.g. 'participation', 'vocal', 'autonomy:rhythm'. */
  readonly id: string;
  readonly label: string;
  /** Items shown together (Scale II's modes, an IAP profile's elements). */
  readonly group: string;
  /** The levels in order, lowest first; values are consecutive whole numbers. */
  readonly levels: readonly ScaleLevel[];
}

/** A rating scale: where it comes from and what is rated on it. */
export interface AssessmentScale {
  readonly id: ScaleId;
  readonly name: string;
  /** The published source, as docs/ASSESSMENT.md cites it. */
  readonly source: string;
  /** One sentence for the rater: what the scale looks at. */
  readonly description: string;
  readonly items: readonly ScaleItem[];
  /**
   * Whether the middle of each item is the balanced state and both ends are extremes (the IAP
   * gradients), rather than low to high (the Nordoff-Robbins levels).
   */
  readonly bipolar: boolean;
}

const NORDOFF_ROBBINS_2007 =
  'Nordoff, P. & Robbins, C. (2007). Creative Music Therapy: A Guide to Fostering Clinical Musicianship (2nd ed.). Gilsum, NH: Barcelona Publishers. First edition: Creative Music Therapy, New York: John Day, 1977.';
const BRUSCIA_1987 =
  'Bruscia, K. E. (1987). Improvisational Models of Music Therapy, pp. 401–496 (the Improvisation Assessment Profiles). Springfield, IL: Charles C Thomas.';

const levels = (labels: readonly (string | null)[]): ScaleLevel[] =>
  labels.map((label, i) => ({ value: i + 1, label }));

/**
 * Scale I, levels of participation: the short names on the 2007 edition's rating form (seven
 * levels, lowest first). The criteria that define each level are in the manual.
 */
const PARTICIPATION = levels([
  'Unresponsive non-acceptance',
  'Wary ambivalence; tentative acceptance',
  'Limited responsive activity',
  'Activity relationship developing',
  'Assertive coactivity',
  'Mutuality and co-creativity in the expressive mobility of music',
  'Stability and confidence in interpersonal musical relationship',
]);

/**
 * Scale I, qualities of resistiveness, rated on the same seven levels. Only the qualities of the
 * lowest three levels could be checked; the others are left to the manual.
 */
const RESISTIVENESS = levels([
  'Apparent obliviousness; active rejection; panic or rage reaction',
  'Anxious uncertainty; tendency toward rejection',
  'Evasive defensiveness',
  null,
  null,
  null,
  null,
]);

/** Nordoff-Robbins Scale I: the client–therapist relationship in (coactive) musical activity. */
export const NORDOFF_ROBBINS_1: AssessmentScale = {
  id: 'nordoff-robbins-1',
  name: 'Nordoff-Robbins Scale I: Client–Therapist Relationship in Musical Activity',
  source: NORDOFF_ROBBINS_2007,
  description:
    'How the client takes part in making music with the therapist (levels of participation), and the qualities of any resistiveness that go with it, each on the same seven levels.',
  bipolar: false,
  items: [
    { id: 'participation', label: 'Level of participation', group: 'Scale I', levels: PARTICIPATION },
    { id: 'resistiveness', label: 'Qualities of resistiveness', group: 'Scale I', levels: RESISTIVENESS },
  ],
};

/** The modes of Scale II, each rated on its own. */
export const COMMUNICATIVENESS_MODES = [
  { id: 'instrumental', label: 'Instrumental' },
  { id: 'vocal', label: 'Vocal' },
  { id: 'body-movement', label: 'Body movement' },
] as const;

/** Levels of Scale II: numbers only; the criteria of each level are in the manual. */
const COMMUNICATIVENESS_LEVELS = levels(Array.from({ length: 10 }, () => null));

/** Nordoff-Robbins Scale II: musical communicativeness, in three modes. */
export const NORDOFF_ROBBINS_2: AssessmentScale = {
  id: 'nordoff-robbins-2',
  name: 'Nordoff-Robbins Scale II: Musical Communicativeness',
  source: NORDOFF_ROBBINS_2007,
  description:
    'How far the client communicates through music, rated separately for instrumental playing, the voice and body movement.',
  bipolar: false,
  items: COMMUNICATIVENESS_MODES.map((mode) => ({
    id: mode.id,
    label: mode.label,
    group: 'Scale II',
    levels: COMMUNICATIVENESS_LEVELS,
  })),
};

/** The musical elements the IAP profiles are applied to (Bruscia's scales, grouped). */
export const IAP_ELEMENTS = [
  { id: 'rhythm', label: 'Rhythm' },
  { id: 'tonal', label: 'Tonal (melody and harmony)' },
  { id: 'texture', label: 'Texture' },
  { id: 'volume', label: 'Volume' },
  { id: 'timbre', label: 'Timbre' },
  { id: 'phrasing', label: 'Phrasing' },
  { id: 'programmatic', label: 'Programmatic (words, stories, images)' },
] as const;
export type IapElement = (typeof IAP_ELEMENTS)[number]['id'];

/** A profile of the IAPs: its question and its five gradients from one extreme to the other. */
export interface IapProfile {
  readonly id: 'integration' | 'variability' | 'tension' | 'congruence' | 'salience' | 'autonomy';
  readonly label: string;
  /** What the profile asks of the music (after Bruscia 1987, pp. 404–405). */
  readonly question: string;
  /** The five gradients, value 1 to 5; the third is the balanced middle. */
  readonly gradients: readonly [string, string, string, string, string];
  /** Only for improvisations of two or more players (the roles between them). */
  readonly ensembleOnly: boolean;
  /** Where the gradient names could not be checked against the source: say so to the rater. */
  readonly verify: string | null;
}

export const IAP_PROFILES: readonly IapProfile[] = [
  {
    id: 'integration',
    label: 'Integration',
    question: 'How are the simultaneous parts of the music organised: merged, together, or apart?',
    gradients: ['undifferentiated', 'fused', 'integrated', 'differentiated', 'overdifferentiated'],
    ensembleOnly: false,
    verify: null,
  },
  {
    id: 'variability',
    label: 'Variability',
    question: 'How does the music change from one moment to the next?',
    gradients: ['rigid', 'stable', 'variable', 'contrasting', 'random'],
    ensembleOnly: false,
    verify: null,
  },
  {
    id: 'tension',
    label: 'Tension',
    question: 'How much tension is built up, held and released in the music?',
    gradients: ['hypotense', 'calm', 'cyclic', 'tense', 'hypertense'],
    ensembleOnly: false,
    verify: null,
  },
  {
    id: 'congruence',
    label: 'Congruence',
    question: 'Do the feelings and roles heard at the same time agree with one another?',
    gradients: ['withdrawn', 'congruent', 'centered', 'incongruent', 'polarized'],
    ensembleOnly: false,
    verify: 'gradient names from memory of the source: check them against Bruscia (1987)',
  },
  {
    id: 'salience',
    label: 'Salience',
    question: 'Which elements of the music are given more weight than the others?',
    gradients: ['neglected', 'attenuated', 'balanced', 'prominent', 'obsessive'],
    ensembleOnly: false,
    verify: 'gradient names from memory of the source: check them against Bruscia (1987)',
  },
  {
    id: 'autonomy',
    label: 'Autonomy',
    question: 'What roles do the players take toward each other?',
    gradients: ['dependent', 'follower', 'partner', 'leader', 'resister'],
    ensembleOnly: true,
    verify: null,
  },
];

/** The id of the IAP item for a profile on an element. */
export function iapItemId(profile: IapProfile['id'], element: IapElement): string {
  return `${profile}:${element}`;
}

/** Bruscia's Improvisation Assessment Profiles: each profile on each element, five gradients. */
export const IAP: AssessmentScale = {
  id: 'iap',
  name: "Bruscia's Improvisation Assessment Profiles",
  source: BRUSCIA_1987,
  description:
    'Six profiles of how the improvisation is organised (integration, variability, tension, congruence, salience, autonomy), each rated on each musical element on a five-point gradient whose middle is the balanced state.',
  bipolar: true,
  items: IAP_PROFILES.flatMap((profile) =>
    IAP_ELEMENTS.map((element) => ({
      id: iapItemId(profile.id, element.id),
      label: `${profile.label} of ${element.label.toLowerCase()}`,
      group: profile.label,
      levels: levels(profile.gradients),
    })),
  ),
};

/** Every scale by id. */
export const SCALES: Readonly<Record<ScaleId, AssessmentScale>> = {
  'nordoff-robbins-1': NORDOFF_ROBBINS_1,
  'nordoff-robbins-2': NORDOFF_ROBBINS_2,
  iap: IAP,
};

/** The scale with this id, or null. */
export function ratingScaleOf(id: string): AssessmentScale | null {
  return (SCALE_IDS as readonly string[]).includes(id) ? SCALES[id as ScaleId] : null;
}

/** The item of a scale with this id, or null. */
export function scaleItemOf(scale: AssessmentScale, item: string): ScaleItem | null {
  return scale.items.find((x) => x.id === item) ?? null;
}

/** The IAP profile with this id, or null. */
export function iapProfileOf(id: string): IapProfile | null {
  return IAP_PROFILES.find((p) => p.id === id) ?? null;
}
