import { describe, expect, it } from 'vitest';
import { LoudnessGate, levelDb } from './gate.ts';

const STEP = 0.01;

/** Feeds the gate a level for a while; returns whether it was open at the end. */
function hold(gate: LoudnessGate, level: number, seconds: number, pitched = false): boolean {
  let open = false;
  for (let i = 0; i < Math.round(seconds / STEP); i++) open = gate.update(level, pitched);
  return open;
}

describe('LoudnessGate', () => {
  it('takes the first level as the room and stays closed in it', () => {
    const gate = new LoudnessGate(STEP);
    expect(hold(gate, -55, 3)).toBe(false);
    expect(gate.floor).toBe(-55);
  });

  it('opens for an unpitched sound 6 dB above the room, and for a pitched one 3 dB above', () => {
    const gate = new LoudnessGate(STEP);
    hold(gate, -60, 1);
    expect(gate.update(-55, false)).toBe(false);
    expect(gate.update(-54, false)).toBe(true);
    hold(gate, -60, 0.1);
    expect(gate.open).toBe(false);
    expect(gate.update(-58, true)).toBe(false);
    expect(gate.update(-57, true)).toBe(true);
  });

  it('closes only below 2 dB above the room (no flutter at the threshold)', () => {
    const gate = new LoudnessGate(STEP);
    hold(gate, -60, 1);
    expect(gate.update(-50, false)).toBe(true);
    expect(gate.update(-57.5, false)).toBe(true);
    expect(gate.update(-58.5, false)).toBe(false);
  });

  it('takes a steady unpitched sound as the room within its two-second memory', () => {
    const gate = new LoudnessGate(STEP);
    hold(gate, -65, 1);
    expect(hold(gate, -45, 1)).toBe(true);
    expect(hold(gate, -45, 1.5)).toBe(false);
    expect(gate.floor).toBe(-45);
    // The room quietens: the floor follows at once.
    hold(gate, -62, 0.05);
    expect(gate.floor).toBe(-62);
  });

  it('never takes a long pitched sound as the room', () => {
    const gate = new LoudnessGate(STEP);
    hold(gate, -65, 1);
    expect(hold(gate, -40, 10, true)).toBe(true);
    expect(gate.floor).toBe(-65);
  });

  it('counts nothing quieter than −70 dB, however quiet the room', () => {
    const gate = new LoudnessGate(STEP);
    hold(gate, -95, 1);
    expect(hold(gate, -75, 0.1, true)).toBe(false);
    expect(hold(gate, -65, 0.1, true)).toBe(true);
  });

  it('learns nothing from digital silence: a microphone starting with zeros does not count the room', () => {
    const gate = new LoudnessGate(STEP);
    expect(hold(gate, -120, 0.5)).toBe(false);
    expect(gate.update(-62, false)).toBe(false);
    expect(gate.floor).toBe(-62);
    expect(hold(gate, -62, 1)).toBe(false);
    expect(gate.update(-50, false)).toBe(true);
    // Two seconds of nothing at all (the line muted): the next sound is learnt as the room again.
    hold(gate, -120, 2.5);
    expect(gate.update(-40, false)).toBe(false);
    expect(gate.floor).toBe(-40);
  });

  it('refuses settings that contradict each other', () => {
    expect(() => new LoudnessGate(STEP, { margin: 2, pitchedMargin: 3 })).toThrow('got: 2, 3, 2');
    expect(() => new LoudnessGate(0)).toThrow('got: 0');
    expect(() => new LoudnessGate(STEP, { memory: 0.01 })).toThrow('got: 0.01');
  });

  it('reads power as dB full scale', () => {
    expect(levelDb(1)).toBe(0);
    expect(levelDb(0.01)).toBeCloseTo(-20, 10);
    expect(levelDb(0)).toBe(-120);
  });
});
