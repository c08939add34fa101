/**
 * The rows of the review timeline, top to bottom: the time ruler, the marks, the steering, one
 * lane per participant (taller for pitched playing and the voice, shorter for percussion), one
 * per companion voice, then the measure curves. The canvas draws them and the page puts the lane
 * names (with solo and mute) beside them at the same heights.
 */
import type { LaneKind, ParticipantCurves, Timeline } from '@attune/engine';

/** A row of the timeline. */
export interface Row {
  readonly id: string;
  readonly kind: 'ruler' | 'marks' | 'steering' | 'lane' | 'companion' | 'curve';
  /** For a participant lane: what it holds. */
  readonly lane?: LaneKind;
  /** For a curve row: which curve. */
  readonly curve?: 'tempo' | 'loudness' | 'density';
  readonly label: string;
  /** A word above the label ('Companion' over a companion voice's name). */
  readonly caption?: string;
  readonly y: number;
  readonly height: number;
  /** Lowest and highest pitch drawn, for a lane with pitches. */
  readonly pitches?: readonly [number, number];
  readonly colour: string;
}

/** Lane colours: distinct on paper and for the common colour-vision differences (Okabe–Ito, deepened). */
export const LANE_COLOURS = ['#2a6a6e', '#b35806', '#5e3c99', '#0072b2', '#a6761d', '#cc3d77'];
export const COMPANION_COLOUR = '#7d7564';

/**
 * A participant id as a person reads it: 'therapist' → 'Therapist', 'p2' → 'Player 2', a lane
 * renamed by a client's erasure → 'Erased player'.
 */
export function laneName(participant: string): string {
  if (participant === 'therapist') return 'Therapist';
  if (participant.startsWith('erased-')) return 'Erased player';
  const p = /^p(\d+)$/.exec(participant);
  return p ? `Player ${p[1]}` : participant;
}

/**
 * The order of a session's lanes (the therapist first, then the players by number), as the
 * engine's timeline puts lanes without a given order.
 */
export function laneOrder(ids: Iterable<string>): string[] {
  return [...new Set(ids)].sort((a, b) =>
    a === 'therapist' ? -1 : b === 'therapist' ? 1 : a.localeCompare(b, 'en', { numeric: true }),
  );
}

/** A lane's label and the word above it: a client's name over the seat ('Player 1'), or the seat alone. */
function laneLabels(participant: string, name: string): { label: string; caption?: string } {
  return name !== participant && name.trim() !== ''
    ? { label: name, caption: laneName(participant) }
    : { label: laneName(participant) };
}

const VOICE_NAMES: Record<string, string> = {
  'piano-left': 'piano, left',
  'piano-right': 'piano, right',
  bass: 'bass',
  mallets: 'mallets',
  pad: 'pad',
  percussion: 'percussion',
};

function pitchRange(pitches: Iterable<number>): [number, number] {
  let lo = 127;
  let hi = 0;
  for (const p of pitches) {
    if (p < lo) lo = p;
    if (p > hi) hi = p;
  }
  if (lo > hi) return [48, 72];
  const middle = (lo + hi) / 2;
  const half = Math.max(6, (hi - lo) / 2 + 1);
  return [Math.floor(middle - half), Math.ceil(middle + half)];
}

/** The rows of a session's timeline. */
export function layoutRows(timeline: Timeline, curves: readonly ParticipantCurves[] | null): Row[] {
  const rows: Row[] = [];
  let y = 0;
  const add = (row: Omit<Row, 'y'>) => {
    rows.push({ ...row, y });
    y += row.height;
  };
  add({ id: 'ruler', kind: 'ruler', label: 'Time', height: 26, colour: '#465260' });
  add({ id: 'marks', kind: 'marks', label: 'Marks', height: 30, colour: '#b7791f' });
  add({ id: 'steering', kind: 'steering', label: 'Steering', height: 26, colour: '#465260' });
  timeline.participants.forEach((lane, i) => {
    const pitches: number[] = [];
    for (const n of lane.notes.all()) pitches.push(n.pitch);
    for (const f of lane.voice.all()) if (f.pitch !== null) pitches.push(f.pitch);
    add({
      id: lane.participant,
      kind: 'lane',
      lane: lane.kind,
      ...laneLabels(lane.participant, lane.name),
      height: lane.kind === 'percussive' ? 56 : 96,
      pitches: pitchRange(pitches),
      colour: LANE_COLOURS[i % LANE_COLOURS.length] as string,
    });
  });
  for (const lane of timeline.companion) {
    const pitches = lane.notes.all().map((n) => n.pitch);
    add({
      id: `companion:${lane.voice}`,
      kind: 'companion',
      caption: 'Companion',
      label: VOICE_NAMES[lane.voice] ?? lane.voice,
      height: 52,
      pitches: pitchRange(pitches),
      colour: COMPANION_COLOUR,
    });
  }
  if (curves !== null) {
    y += 10;
    add({
      id: 'tempo',
      kind: 'curve',
      curve: 'tempo',
      label: 'Tempo (beats a minute)',
      height: 64,
      colour: '#465260',
    });
    add({
      id: 'loudness',
      kind: 'curve',
      curve: 'loudness',
      label: 'Loudness',
      height: 64,
      colour: '#465260',
    });
    add({
      id: 'density',
      kind: 'curve',
      curve: 'density',
      label: 'Activity (notes a second)',
      height: 64,
      colour: '#465260',
    });
  }
  return rows;
}

/** The full height of the rows. */
export function rowsHeight(rows: readonly Row[]): number {
  const last = rows[rows.length - 1];
  return last ? last.y + last.height : 0;
}
