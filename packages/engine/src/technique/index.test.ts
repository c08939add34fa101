import { describe, expect, it } from 'vitest';
import {
  energyDensity,
  energyVelocity,
  gateKeeps,
  isTechnique,
  type Listening,
  leadLoudness,
  leadStep,
  parseTechniques,
  type ShapingContext,
  shape,
  TECHNIQUE_SUMMARIES,
  TECHNIQUES,
} from './index.ts';

const heard: Listening = {
  now: 10,
  started: true,
  pulse: { period: 0.5, confidence: 0.9 },
  loudness: 100,
  density: 4,
  register: 72,
  silentFor: 0,
  phraseStart: 8,
};
const context: ShapingContext = {
  energy: 0.5,
  register: null,
  period: 0.5,
  spaceBeats: null,
  ledLoudness: null,
};

describe('technique names', () => {
  it('lists exactly the techniques therapists name, each with a summary', () => {
    expect([...TECHNIQUES].sort()).toEqual(
      [
        'calm',
        'dialogue',
        'frame',
        'ground',
        'intensify',
        'lead',
        'make-space',
        'match',
        'reflect',
        'synchronise',
      ].sort(),
    );
    for (const t of TECHNIQUES) expect(TECHNIQUE_SUMMARIES[t].length).toBeGreaterThan(10);
  });

  it('parses comma lists and refuses unknown or empty ones', () => {
    expect(parseTechniques('ground, match')).toEqual(['ground', 'match']);
    expect(parseTechniques('match,match')).toEqual(['match']);
    expect(() => parseTechniques('groove')).toThrow("unknown technique 'groove'");
    expect(() => parseTechniques(' , ')).toThrow('at least one');
    expect(isTechnique('make-space')).toBe(true);
    expect(isTechnique('synchronize')).toBe(false);
  });
});

describe('shape', () => {
  it('match: loudness one for one and density as onsets per beat', () => {
    const s = shape(['match'], heard, context);
    expect(s.velocity).toBe(100);
    expect(s.notesPerBeat).toBe(2);
    expect(shape(['match'], { ...heard, loudness: 40, density: 1 }, context)).toMatchObject({
      velocity: 40,
      notesPerBeat: 1,
    });
  });

  it('without match, energy decides loudness and density', () => {
    expect(shape(['synchronise'], heard, { ...context, energy: 1 }).velocity).toBe(energyVelocity(1));
    expect(energyVelocity(0)).toBeLessThan(energyVelocity(1));
    expect(energyDensity(0)).toBe(1);
    expect(energyDensity(1)).toBe(3);
  });

  it('reflect: register and brightness mirror the client', () => {
    expect(shape(['reflect'], heard, context)).toMatchObject({ register: 72 });
    const low = shape(['reflect'], { ...heard, register: 45 }, context);
    expect(low.register).toBe(45);
    expect(low.brightness).toBe(0);
    expect(shape(['reflect'], { ...heard, register: null }, context).register).toBe(62);
  });

  it('ground and synchronise make every beat audible; ground adds a steady bass', () => {
    expect(shape(['synchronise'], heard, context)).toMatchObject({ onBeats: true, steadyBass: false });
    expect(shape(['ground'], heard, context)).toMatchObject({ onBeats: true, steadyBass: true });
  });

  it('dialogue plays only answers, detached', () => {
    const s = shape(['dialogue'], heard, context);
    expect(s.answerOnly).toBe(true);
    expect(s.legato).toBeLessThanOrEqual(0.5);
  });

  it('make-space thins out over two beats to silence', () => {
    const gates = [0, 1, 2, 3].map((b) => shape(['make-space'], heard, { ...context, spaceBeats: b }).gate);
    expect(gates).toEqual([0.5, 0.2, 0, 0]);
  });

  it('calm and intensify move loudness, density and register in opposite directions', () => {
    const base = shape([], heard, context);
    const calm = shape(['calm'], heard, context);
    const intense = shape(['intensify'], heard, context);
    expect(calm.velocity).toBeLessThan(base.velocity);
    expect(intense.velocity).toBeGreaterThan(base.velocity);
    expect(calm.notesPerBeat).toBeLessThanOrEqual(base.notesPerBeat);
    expect(intense.notesPerBeat).toBeGreaterThan(base.notesPerBeat);
    expect(calm.register).toBeLessThan(intense.register);
  });

  it('lead sets loudness from the level lead has reached', () => {
    expect(shape(['match', 'lead'], heard, { ...context, ledLoudness: 70 }).velocity).toBe(70);
  });
});

describe('leadStep', () => {
  it('moves toward the target by at most the rate', () => {
    expect(leadStep(80, 80, 100, 4, 6)).toBe(84);
    expect(leadStep(99, 99, 100, 4, 6)).toBe(100);
    expect(leadStep(100, 100, 90, 4, 6)).toBe(96);
  });
  it('waits while the client has not followed', () => {
    expect(leadStep(84, 70, 100, 4, 6)).toBe(84);
  });
});

describe('leadLoudness', () => {
  it('starts from the client once together, steps 1.5 toward the target, and waits for a client left behind', () => {
    expect(leadLoudness(null, { ...heard, loudness: 80 }, false, 100)).toBe(80);
    expect(leadLoudness(null, { ...heard, loudness: 80 }, true, 100)).toBe(81.5);
    expect(leadLoudness(90, { ...heard, loudness: 70 }, true, 100)).toBe(90);
    expect(leadLoudness(90, { ...heard, started: false }, true, 100)).toBeNull();
  });
});

describe('gateKeeps', () => {
  it('keeps everything when open, beats and half-beats at half, one note on the beat in the first voice below', () => {
    expect(gateKeeps(1, 0.25, false)).toBe(true);
    expect([0, 0.25, 0.5].map((o) => gateKeeps(0.5, o, false))).toEqual([true, false, true]);
    expect([gateKeeps(0.2, 0, true), gateKeeps(0.2, 0, false), gateKeeps(0.2, 0.5, true)]).toEqual([
      true,
      false,
      false,
    ]);
  });
});
