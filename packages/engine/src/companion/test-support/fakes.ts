/**
 * A scripted ear and a plain material for testing the companion's loop apart from perception
 * and harmony: the ear hears a client with a known, steady pulse; the material plays a C on
 * every beat in the left hand and `notesPerBeat` Gs in the right hand.
 */
import type { Onset } from '../../events/index.ts';
import type { KeyEstimate } from '../../key/index.ts';
import type { Listening } from '../../technique/index.ts';
import type { Seconds } from '../../time/index.ts';
import type { PulseView } from '../clock.ts';
import type { Ear, Stroke } from '../listen.ts';
import type { BeatNote, BeatRequest, Material } from '../material.ts';

/** An ear whose client has a steady pulse of `period` with beats at phase + k·period once they have played. */
export class ScriptedEar implements Ear {
  readonly heard: Onset[] = [];
  constructor(
    public period: Seconds,
    public phase: Seconds = 0,
  ) {}
  hear(onset: Onset): void {
    this.heard.push(onset);
  }
  pulse(now: Seconds): PulseView | null {
    if (this.heard.length === 0) return null;
    const k = Math.floor((now - this.phase) / this.period) + 1;
    const predicted = [0, 1, 2, 3].map((i) => this.phase + (k + i) * this.period);
    return { period: this.period, confidence: 0.9, predicted };
  }
  key(): KeyEstimate | null {
    return null;
  }
  listening(now: Seconds): Listening {
    const past = this.heard.filter((o) => o.t <= now);
    const last = past[past.length - 1];
    const recent = past.filter((o) => o.t > now - 2);
    return {
      now,
      started: past.length > 0,
      pulse: past.length > 0 ? { period: this.period, confidence: 0.9 } : null,
      loudness: recent.length > 0 ? recent.reduce((s, o) => s + o.velocity, 0) / recent.length : 0,
      density: recent.length / 2,
      register: null,
      silentFor: last === undefined ? Number.POSITIVE_INFINITY : now - last.t,
      phraseStart: past[0]?.t ?? null,
    };
  }
  phrase(): readonly Onset[] {
    return this.heard.slice(-8);
  }
  stroke(): Stroke | null {
    return null;
  }
  support(): number {
    return 0;
  }
}

/** A material in C major only: a C on every beat and `notesPerBeat` Gs above. */
export const plainMaterial: Material = {
  isIdiom: (name) => name === 'major' || name === 'minor',
  idiomForMode: () => 'major',
  scale: () => [0, 2, 4, 5, 7, 9, 11],
  beat(request: BeatRequest): BeatNote[] {
    const v = request.shaping.velocity;
    const cadence = request.cadenceFrom === null ? null : request.index - request.cadenceFrom;
    // The cadence: a G for a bar, then the C held for a bar.
    if (cadence !== null && cadence >= 4) {
      return [{ voice: 'piano-left', pitch: 48, velocity: v, offset: 0, duration: 4 }];
    }
    const pitch = cadence === null ? 48 : 55;
    const notes: BeatNote[] = [{ voice: 'piano-left', pitch, velocity: v, offset: 0, duration: 1 }];
    const n = request.shaping.notesPerBeat;
    for (let i = 0; i < n; i++)
      notes.push({ voice: 'piano-right', pitch: 67, velocity: v, offset: i / n, duration: 1 / n });
    return notes.filter((note) => request.voices.includes(note.voice));
  },
  cadenceBeats: (_idiom, _tonic, from, beatsPerBar) => Math.ceil(from / beatsPerBar + 1) * beatsPerBar - from,
};
