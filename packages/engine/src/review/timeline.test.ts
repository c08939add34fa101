import { describe, expect, it } from 'vitest';
import { readLog, steeringLabel } from './log.ts';
import { checkMark, type Mark } from './marks.ts';
import { buildTimeline } from './timeline.ts';

let seq = 0;
const play = (participant: string, event: Record<string, unknown>) => ({
  seq: ++seq,
  participant,
  t: event.t as number,
  type: 'play',
  payload: { event },
});
const note = (participant: string, t: number, pitch: number, duration = 0.4, velocity = 80) =>
  play(participant, { type: 'note', t, pitch, velocity, duration });
const hit = (participant: string, t: number, velocity = 90) =>
  play(participant, { type: 'hit', t, instrument: 38, velocity });
const voice = (participant: string, t: number, pitch: number | null, onset = false, loudness = 0.5) =>
  play(participant, { type: 'voice', t, pitch, loudness, onset });
const companion = (t: number, pitch: number, voice: string, duration = 1) => ({
  seq: ++seq,
  participant: 'companion',
  t,
  type: 'companion',
  payload: { pitch, velocity: 63.6, duration, voice },
});
const steer = (t: number, control: Record<string, unknown>) => ({
  seq: ++seq,
  participant: 'therapist',
  t,
  type: 'steer',
  payload: { control },
});
const mark = (t: number, noteText: string, tags: string[] = []) => ({
  seq: ++seq,
  participant: 'therapist',
  t,
  type: 'mark',
  payload: { note: noteText, tags },
});

/** A short session: therapist at the piano, p1 on a drum, p2 singing, the companion on two voices. */
function session() {
  seq = 0;
  return [
    note('therapist', 0.5, 48, 8), // a bass note held for 8 s
    note('therapist', 2, 60),
    hit('p1', 1),
    hit('p1', 1.5),
    hit('p1', 5.2),
    voice('p2', 3, 62, true),
    voice('p2', 3.02, 62.3),
    voice('p2', 3.04, null),
    companion(4, 36, 'bass', 2),
    companion(4.5, 67, 'pad', 0.5),
    companion(0.9, 43, 'bass', 0.5), // logged late: planned ahead, written after
    steer(2.5, { type: 'tempo', tempo: { kind: 'hold', bpm: 90 } }),
    mark(3, 'sang back the phrase', ['sang']),
    { seq: ++seq, participant: 'p1', t: 1, type: 'join', payload: {} },
    {
      seq: ++seq,
      participant: 'p1',
      t: 6,
      type: 'play',
      payload: { event: { type: 'note', t: 6, pitch: 200, velocity: 80, duration: 1 } },
    },
  ];
}

describe('buildTimeline', () => {
  it('makes one lane per participant, therapist first, and one per companion voice', () => {
    const tl = buildTimeline(session());
    expect(tl.participants.map((l) => [l.participant, l.kind])).toEqual([
      ['therapist', 'pitched'],
      ['p1', 'percussive'],
      ['p2', 'voice'],
    ]);
    expect(tl.companion.map((l) => [l.voice, l.notes.all().map((n) => n.t)])).toEqual([
      ['bass', [0.9, 4]],
      ['pad', [4.5]],
    ]);
    // The companion's planned velocity sounds rounded.
    expect(tl.companion[0]?.notes.all()[0]?.velocity).toBe(64);
    expect(tl.start).toBe(0.5);
    expect(tl.end).toBe(8.5);
    expect(tl.duration).toBe(8);
  });

  it('names and orders lanes as the room listed them', () => {
    const tl = buildTimeline(session(), {
      participants: [
        { id: 'p2', name: 'Sam' },
        { id: 'p1', name: 'Jo' },
      ],
    });
    expect(tl.participants.map((l) => l.name)).toEqual(['Sam', 'Jo', 'therapist']);
  });

  it('leaves out a malformed entry with its reason and counts types it does not show', () => {
    const tl = buildTimeline(session());
    expect(tl.problems).toEqual([{ index: 14, seq: 15, message: 'a note needs a pitch 0–127, got: 200' }]);
    expect([...tl.ignored]).toEqual([['join', 1]]);
    expect(tl.lane('p1')?.notes.size).toBe(0);
  });

  it('gives the events of a window, with the held bass note begun before it', () => {
    const w = buildTimeline(session()).window(4, 5.5);
    expect(
      w.participants.map((p) => [
        p.participant,
        p.notes.map((n) => n.pitch),
        p.hits.map((h) => h.t),
        p.voice.length,
      ]),
    ).toEqual([
      ['therapist', [48], [], 0],
      ['p1', [], [5.2], 0],
      ['p2', [], [], 0],
    ]);
    expect(w.companion.map((c) => c.notes.map((n) => n.pitch))).toEqual([[36], [67]]);
    expect(w.steering).toEqual([]);
    expect(w.marks).toEqual([]);
    const early = buildTimeline(session()).window(2, 3.5);
    expect(early.steering.map((s) => s.label)).toEqual(['Tempo: hold 90 BPM']);
    expect(early.marks.map((m) => [m.id, m.note, m.tags, m.source])).toEqual([
      ['live-13', 'sang back the phrase', ['sang'], 'live'],
    ]);
    expect(early.participants[2]?.voice.map((v) => v.pitch)).toEqual([62, 62.3, null]);
    expect(() => buildTimeline(session()).window(0, Number.POSITIVE_INFINITY)).toThrow(/finite times/);
  });

  it('shows review marks beside live ones, an edit replacing the live mark, a deletion hiding it', () => {
    const span = checkMark({
      id: 'r1',
      t: 1,
      end: 5,
      note: 'drum and piano together',
      tags: ['played together'],
    });
    const edit = checkMark({ id: 'live-13', t: 3.1, note: 'sang back the whole phrase', tags: ['sang'] });
    if (!span.ok || !edit.ok) throw new Error('marks should pass');
    const tl = buildTimeline(session(), { marks: [span.mark, edit.mark] });
    expect(tl.marks.map((m) => [m.id, m.t, m.source])).toEqual([
      ['r1', 1, 'review'],
      ['live-13', 3.1, 'review'],
    ]);
    // The span covers 1–5 s: a window inside it finds it.
    expect(tl.window(4, 4.5).marks.map((m) => m.id)).toEqual(['r1']);
    expect(tl.nextMark(1)?.id).toBe('live-13');
    expect(tl.previousMark(3.1)?.id).toBe('r1');
    expect(tl.nextMark(3.1)).toBeUndefined();
    const hidden = buildTimeline(session(), {
      marks: [span.mark as Mark],
      deletedMarks: new Set(['live-13']),
    });
    expect(hidden.marks.map((m) => m.id)).toEqual(['r1']);
  });

  it('draws a voice contour with at most the points asked for', () => {
    const entries = Array.from({ length: 1000 }, (_, i) =>
      voice('p1', i * 0.01 + 0.005, i % 100 < 50 ? 60 + (i % 10) : null, i % 100 === 0),
    );
    const tl = buildTimeline(entries);
    const line = tl.contour('p1', 0, 10, 10);
    expect(line).toHaveLength(10);
    expect(line[0]).toEqual({ t: 0, low: 60, high: 69, loudness: 0.5 });
    const fine = tl.contour('p1', 0, 0.5, 5);
    expect(fine.map((p) => [p.low, p.high])).toEqual([
      [60, 69],
      [60, 69],
      [60, 69],
      [60, 69],
      [60, 69],
    ]);
    expect(tl.contour('p1', 0.5, 1, 2).map((p) => p.low)).toEqual([null, null]);
    expect(tl.contour('nobody', 0, 10, 10)).toEqual([]);
    expect(() => tl.contour('p1', 0, 10, 0)).toThrow(/positive whole number/);
  });

  it('is empty for an empty log', () => {
    const tl = buildTimeline([]);
    expect(tl.start).toBeNull();
    expect(tl.duration).toBe(0);
    expect(tl.participants).toEqual([]);
  });
});

describe('readLog', () => {
  it('names what is wrong with each malformed entry and keeps the rest', () => {
    const log = readLog([
      { participant: '', t: 1, type: 'play', payload: {} },
      {
        seq: 2,
        participant: 'p1',
        t: 1,
        type: 'play',
        payload: { event: { type: 'hit', t: 1, instrument: 38, velocity: 0 } },
      },
      { seq: 3, participant: 'p1', t: 1, type: 'play', payload: {} },
      {
        seq: 4,
        participant: 'p1',
        t: 1,
        type: 'play',
        payload: { event: { type: 'voice', t: 1, pitch: 60, loudness: 2, onset: true } },
      },
      {
        seq: 5,
        participant: 'companion',
        t: -1,
        type: 'companion',
        payload: { pitch: 60, velocity: 60, duration: 1, voice: 'pad' },
      },
      { seq: 6, participant: 'therapist', t: 1, type: 'steer', payload: { control: { type: 'louder' } } },
      { seq: 7, participant: 'therapist', t: 1, type: 'mark', payload: { tags: [] } },
      { seq: 8, participant: 'p1', t: 1, type: 'play', payload: { event: { type: 'chord', t: 1 } } },
      {
        seq: 9,
        participant: 'p1',
        t: 1,
        type: 'play',
        payload: { event: { type: 'hit', t: 1, instrument: 38, velocity: 60 } },
      },
      null as never,
    ]);
    expect(log.problems.map((p) => [p.index, p.seq, p.message])).toEqual([
      [0, null, 'an entry needs a participant, a type and a payload'],
      [1, 2, 'a hit needs a velocity 1–127, got: 0'],
      [2, 3, 'a play entry needs a payload { event }'],
      [3, 4, 'a voice frame needs a loudness 0–1, got: 2'],
      [4, 5, 'a companion note needs a time from 0 to 86400 s, got: -1'],
      [5, 6, 'a steer entry needs a known control, got: {"type":"louder"}'],
      [6, 7, 'a mark entry needs a payload { note, tags }'],
      [7, 8, 'unknown played event type: chord'],
      [9, null, 'an entry needs a participant, a type and a payload'],
    ]);
    expect(log.hits.get('p1')).toEqual([{ t: 1, instrument: 38, velocity: 60, seq: 9 }]);
  });

  it('labels every steering control as the console names it', () => {
    expect(
      [
        { type: 'idiom', idiom: 'dorian' },
        { type: 'key', key: 'F#' },
        { type: 'techniques', techniques: ['ground', 'match'] },
        { type: 'tempo', tempo: { kind: 'follow' } },
        { type: 'tempo', tempo: { kind: 'guide', bpm: 80 } },
        { type: 'energy', energy: 0.25 },
        { type: 'register', register: null },
        { type: 'register', register: 60 },
        { type: 'voices', voices: ['bass', 'pad'] },
        { type: 'start' },
        { type: 'fade-out', bars: 4 },
        { type: 'end', cadence: true },
        { type: 'end', cadence: false },
      ].map(steeringLabel),
    ).toEqual([
      'Idiom: dorian',
      'Key: F#',
      'Techniques: ground, match',
      'Tempo: follow',
      'Tempo: guide toward 80 BPM',
      'Energy: 25 %',
      'Register: follow the client',
      'Register: around MIDI 60',
      'Voices: bass, pad',
      'Start',
      'Fade out over 4 bars',
      'End with a cadence',
      'End',
    ]);
  });
});

describe('checkMark', () => {
  it('takes a moment or a span, trimming tags', () => {
    expect(checkMark({ id: 'm1', t: 12.5, note: 'looked up', tags: [' first eye contact '] })).toEqual({
      ok: true,
      mark: {
        id: 'm1',
        t: 12.5,
        end: null,
        note: 'looked up',
        tags: ['first eye contact'],
        source: 'review',
        author: null,
      },
    });
    expect(checkMark({ id: 'm2', t: 10, end: 20, author: 'therapist-7' }).ok).toBe(true);
  });

  it('names every problem: a span ending before it starts, a time past the session, tags too many or twice', () => {
    const check = checkMark(
      { id: 'm 1', t: 10, end: 5, note: 'x'.repeat(1001), tags: ['sang', 'sang', ''], colour: 'red' },
      600,
    );
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.problems.map((p) => p.path)).toEqual([
        '/colour',
        '/id',
        '/end',
        '/note',
        '/tags/1',
        '/tags/2',
      ]);
      expect(check.problems[2]?.message).toBe('a span must end after it starts: 5 is not after 10');
    }
    const late = checkMark({ id: 'm1', t: 700 }, 600);
    expect(late).toEqual({
      ok: false,
      problems: [{ path: '/t', message: 't must be a time from 0 to 600 s, got: 700' }],
    });
    expect(checkMark({ id: 'm1', t: 1, tags: Array(17).fill('x') }).ok).toBe(false);
    expect(checkMark('m1').ok).toBe(false);
  });
});
