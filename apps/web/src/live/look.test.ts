import { SEAT_COLOURS } from '@attune/protocol';
import { describe, expect, it } from 'vitest';
import { contrast, padColours, padGrid, padScale, roomPads } from './look.ts';

describe('the look of a live room', () => {
  it("follows the room's idiom and key, and pentatonic on C where the room says auto", () => {
    expect(padScale({ idiom: 'dorian', key: 'D' })).toEqual({ idiom: 'dorian', key: 'D' });
    expect(padScale({ idiom: 'auto', key: 'auto' })).toEqual({ idiom: 'pentatonic', key: 'C' });
    expect(padScale({ idiom: 'no-such-idiom', key: 'H' })).toEqual({ idiom: 'pentatonic', key: 'C' });
    expect(padScale(null)).toEqual({ idiom: 'pentatonic', key: 'C' });
    expect(roomPads({ idiom: 'dorian', key: 'D' }, 8).map((p) => p.pitch)).toEqual([
      62, 64, 65, 67, 69, 71, 72, 74,
    ]);
  });

  it('paints pads in every seat colour with ink of at least 4.5:1 on them', () => {
    for (const colour of SEAT_COLOURS) {
      const vars = padColours(colour);
      expect(
        contrast(vars['--pad-bg'] as string, vars['--pad-ink'] as string),
        colour,
      ).toBeGreaterThanOrEqual(4.5);
      expect(vars['--player']).toBe(colour);
    }
    expect(padColours('#f0e442')['--pad-ink']).toBe('#17212b');
    expect(padColours(null)).toEqual({});
    expect(padColours('red')).toEqual({});
  });

  it('lays pads out to fill a tablet or a phone with near-square cells', () => {
    expect(padGrid(8, 1024, 690)).toEqual({ cols: 4, rows: 2 });
    expect(padGrid(8, 390, 700)).toEqual({ cols: 2, rows: 4 });
    expect(padGrid(5, 1024, 690)).toEqual({ cols: 3, rows: 2 });
    expect(padGrid(12, 1280, 720)).toEqual({ cols: 4, rows: 3 });
    expect(padGrid(3, 0, 0)).toEqual({ cols: 3, rows: 1 });
  });
});
