/**
 * The companion's material from the idiom, harmony and texture modules: the harmony planner's
 * chords (the idiom's cadence when the companion closes), each voice playing the texture that
 * suits the idiom at the energy the techniques ask for, in the register they ask for. A chord's
 * texture is laid out when the chord begins and again whenever the shaping changes what it would
 * be; loudness follows the shaping beat by beat.
 */
import { HarmonyPlanner, type HarmonyStep, cadence as planCadence, type Voicing } from '../harmony/index.ts';
import { idiomForMode, idiomNames, scaleOf } from '../idiom/index.ts';
import type { Shaping } from '../technique/index.ts';
import { GM, suggestTexture, type TextureNote, type TextureStyle, texture } from '../texture/index.ts';
import { isStrongBeat } from './framing.ts';
import type { BeatNote, BeatRequest, FrameGesture, Material } from './material.ts';
import type { Voice } from './settings.ts';

/** The register the textures are written around; the shaping's register moves them by octaves. */
const HOME_REGISTER = 64;

interface Laid {
  readonly key: string;
  readonly notes: TextureNote[];
  readonly velocity: number;
}

/** The texture a voice plays under a shaping. */
function styleOf(idiom: string, voice: Voice, s: Shaping): TextureStyle {
  // A ground is plain: the root on every beat and the chord struck on the beats.
  if (s.steadyBass && voice === 'bass') return 'root';
  if (s.steadyBass && (voice === 'piano-left' || voice === 'piano-right')) return 'block';
  return suggestTexture(idiom, voice, s.energy);
}

/** Octaves a voice moves to sit in the shaping's register (melodic voices only). */
function octavesOf(voice: Voice, s: Shaping): number {
  if (voice !== 'piano-right' && voice !== 'mallets') return 0;
  const shift = (s.register - HOME_REGISTER) / 12 + (s.brightness - 0.5) * 0.6;
  return Math.max(-2, Math.min(2, Math.round(shift)));
}

/** Builds the material over the engine's idioms, harmony planner and textures. */
export function idiomMaterial(): Material {
  const names = new Set<string>(idiomNames());
  let planner: HarmonyPlanner | null = null;
  let closing: { from: number; steps: HarmonyStep[] } | null = null;
  let framing: { gesture: FrameGesture; key: string; steps: HarmonyStep[] } | null = null;
  let laid: Laid | null = null;

  const stepAt = (request: BeatRequest): HarmonyStep | null => {
    if (planner === null) {
      planner = new HarmonyPlanner(request.idiom, request.tonicPc, request.rng.fork(), {
        beatsPerBar: request.beatsPerBar,
      });
    } else if (planner.idiom.name !== request.idiom || planner.tonicPc !== request.tonicPc) {
      planner.change(request.index, { idiom: request.idiom, tonicPc: request.tonicPc });
    }
    const gesture = request.frame ?? null;
    if (request.cadenceFrom === null && gesture !== null && request.index < gesture.until) {
      // A new key or idiom at a bar line inside the gesture carries the gesture with it.
      const key = `${request.idiom}:${request.tonicPc}`;
      if (framing === null || framing.gesture !== gesture || framing.key !== key) {
        const previous = planner.stepAt(gesture.from - 1)?.voicing ?? null;
        framing = { gesture, key, steps: gestureSteps(request, gesture, previous) };
        // The music's next phrase begins after the gesture: the harmony plan starts a new period there.
        planner.change(gesture.until, {});
      }
      const steps = framing.steps;
      return steps.find((s) => s.start <= request.index && request.index < s.start + s.duration) ?? null;
    }
    if (request.cadenceFrom === null) return planner.stepAt(request.index);
    if (closing === null || closing.from !== request.cadenceFrom) {
      const previous = planner.stepAt(request.cadenceFrom - 1)?.voicing ?? null;
      const steps = planCadence(request.idiom, request.tonicPc, {
        start: request.cadenceFrom,
        beatsPerBar: request.beatsPerBar,
        previous,
      });
      closing = { from: request.cadenceFrom, steps };
    }
    return (
      closing.steps.find((s) => s.start <= request.index && request.index < s.start + s.duration) ?? null
    );
  };

  const layOut = (request: BeatRequest, step: HarmonyStep): Laid => {
    const s = request.shaping;
    const framed = request.frame != null && request.index < request.frame.until;
    const ending =
      request.cadenceFrom !== null || framed ? step.phraseEnd : request.phraseShapes && step.phraseEnd;
    const energy = Math.round(s.energy * 20) / 20;
    const styles = request.voices.map((v) => `${v}:${styleOf(request.idiom, v, s)}:${octavesOf(v, s)}`);
    const key = `${step.start}|${step.chord.symbol}|${step.section}|${ending}|${energy}|${styles.join(',')}`;
    if (laid !== null && laid.key === key) return laid;
    // A chord's texture is laid out from this beat to the chord's end.
    const start = Math.max(step.start, request.index);
    const duration = step.start + step.duration - start;
    const scale = scaleOf(request.idiom, request.tonicPc);
    const next = planner?.stepAt(step.start + step.duration)?.voicing ?? null;
    const notes: TextureNote[] = [];
    for (const voice of request.voices) {
      const bassEnergy = voice === 'bass' && s.steadyBass ? Math.max(energy, 0.6) : energy;
      notes.push(
        ...texture(voice, styleOf(request.idiom, voice, s), {
          voicing: step.voicing,
          start,
          duration,
          beatsPerBar: request.beatsPerBar,
          barStart: 0,
          energy: Math.max(0, Math.min(1, bassEnergy)),
          velocity: Math.max(1, Math.min(127, s.velocity)),
          octaves: octavesOf(voice, s),
          scale,
          next,
          pattern: step.phrase % 4,
          ending,
        }),
      );
    }
    laid = { key, notes, velocity: Math.max(1, s.velocity) };
    return laid;
  };

  return {
    isIdiom: (name) => names.has(name),
    idiomForMode: (mode) => idiomForMode(mode) ?? 'major',
    scale: (idiom, tonicPc) => scaleOf(idiom, tonicPc),
    cadenceBeats(idiom, tonicPc, from, beatsPerBar) {
      const steps = planCadence(idiom, tonicPc, { start: from, beatsPerBar });
      return (steps[steps.length - 1]?.start ?? from) - from;
    },
    beat(request) {
      const step = stepAt(request);
      if (step === null) return [];
      const current = layOut(request, step);
      const s = request.shaping;
      // Loudness follows the shaping beat by beat, whatever the chord's texture was laid out at.
      const gain = Math.max(1, s.velocity) / current.velocity;
      const out: BeatNote[] = [];
      for (const n of current.notes) {
        if (n.start < request.index - 1e-6 || n.start >= request.index + 1 - 1e-6) continue;
        out.push({
          voice: n.voice,
          pitch: n.pitch,
          velocity: Math.max(1, Math.min(127, Math.round(n.velocity * gain))),
          offset: n.start - request.index,
          duration: n.duration,
        });
      }
      if (s.onBeats && request.cadenceFrom === null && !out.some((n) => n.offset < 1e-6)) {
        out.push(beatNote(request, step, s));
      }
      return out;
    },
  };
}

/** A note that marks the beat when the texture leaves it empty: a chord tone low in the first voice, or a drum. */
function beatNote(request: BeatRequest, step: HarmonyStep, s: Shaping): BeatNote {
  const voice = request.voices[0] as Voice;
  const velocity = Math.max(1, Math.min(127, Math.round(s.velocity * 0.8)));
  if (voice === 'percussion') return { voice, pitch: GM.closedHat, velocity, offset: 0, duration: 0.25 };
  const v = step.voicing;
  const pitch =
    voice === 'bass'
      ? v.bass
      : voice === 'piano-left'
        ? (v.left[0] ?? v.bass + 12)
        : (v.right[0] ?? v.bass + 24);
  return { voice, pitch, velocity, offset: 0, duration: 0.5 * s.legato };
}

/**
 * The chords of a framing gesture, from the idiom's cadence (voice-led from the chord before it).
 * An introduction holds the tonic, then moves through the cadence's approach to its open chord on
 * the last bar's arrival beat; a phrase-end gesture plays the cadence's open chord up to the
 * arrival and its tonic from there. The goal chord is the phrase's end: struck once and held.
 */
function gestureSteps(request: BeatRequest, g: FrameGesture, previous: Voicing | null): HarmonyStep[] {
  const formula = planCadence(request.idiom, request.tonicPc, { beatsPerBar: request.beatsPerBar, previous });
  const tonic = formula[formula.length - 1] as HarmonyStep;
  const open = formula[formula.length - 2] ?? tonic;
  const approach = formula[formula.length - 3] ?? null;
  const at = (step: HarmonyStep, start: number, end: number, phraseEnd: boolean): HarmonyStep => ({
    ...step,
    start,
    duration: end - start,
    section: 'cadence',
    phraseEnd,
  });
  const steps: HarmonyStep[] = [];
  if (g.kind === 'introduction') {
    // The key first, then the approach in the last bar, leaving the music open on its arrival.
    const lastBar = Math.max(g.from, g.until - request.beatsPerBar);
    const approachFrom = approach !== null && g.arrival > lastBar ? lastBar : g.arrival;
    if (approachFrom > g.from) steps.push(at(tonic, g.from, approachFrom, false));
    if (approach !== null && g.arrival > approachFrom)
      steps.push(at(approach, approachFrom, g.arrival, false));
    steps.push(at(open, g.arrival, g.until, true));
  } else {
    if (g.arrival > g.from) steps.push(at(open, g.from, g.arrival, false));
    // The tonic is held to the next strong beat (a breath), then the music moves on under the client.
    let held = g.arrival + 1;
    while (held < g.until && !isStrongBeat(held, request.beatsPerBar)) held++;
    steps.push(at(tonic, g.arrival, held, true));
    if (held < g.until) steps.push(at(tonic, held, g.until, false));
  }
  return steps;
}
