/** Reading back what a device kept: a damaged or tampered entry is ignored, never trusted. */
import { describe, expect, it } from 'vitest';
import { type KeptSeat, keptKey, MemoryStore, readKept, SeatKeeper } from './kept.ts';

const SEAT: KeptSeat = {
  code: 'K7QP2M',
  join: { role: 'participant', device: 'Tablet', name: 'JB', seat: 2 },
  resume: 'Qm4sT9vX2bK7nR1wE5yU0a',
  participant: 'p1',
  session: 's1',
  admitted: true,
  nextClientSeq: 4,
  pending: [
    { type: 'play', clientSeq: 2, event: { type: 'note', t: 10, pitch: 60, velocity: 80, duration: 0.3 } },
    { type: 'play', clientSeq: 3, event: { type: 'hit', t: 10.5, instrument: 38, velocity: 90 } },
  ],
};

describe('a kept seat', () => {
  it('reads back what was kept', () => {
    expect(readKept(JSON.stringify(SEAT), 'K7QP2M')).toEqual(SEAT);
  });

  it('ignores damaged text, another room, and an entry without a device', () => {
    expect(readKept(null, 'K7QP2M')).toBeNull();
    expect(readKept('{"code":', 'K7QP2M')).toBeNull();
    expect(readKept('"text"', 'K7QP2M')).toBeNull();
    expect(readKept(JSON.stringify(SEAT), 'AAAA22')).toBeNull();
    expect(readKept(JSON.stringify({ ...SEAT, join: { role: 'participant' } }), 'K7QP2M')).toBeNull();
    expect(readKept(JSON.stringify({ ...SEAT, join: { ...SEAT.join, role: 'admin' } }), 'K7QP2M')).toBeNull();
  });

  it('leaves out events that could never be recorded and a token of the wrong shape', () => {
    const tampered = {
      ...SEAT,
      resume: 'short',
      nextClientSeq: 1,
      pending: [
        ...SEAT.pending,
        { type: 'play', clientSeq: 9, event: { type: 'note', t: 1, pitch: 60, velocity: 400, duration: 1 } },
        { type: 'admit', participant: 'p2' },
        'nonsense',
      ],
    };
    const read = readKept(JSON.stringify(tampered), 'K7QP2M');
    expect(read?.resume).toBeNull();
    expect(read?.pending).toEqual(SEAT.pending);
    // Numbering never goes back below an event kept.
    expect(read?.nextClientSeq).toBe(4);
  });

  it('keeps, loads and forgets through the store, and survives a store that refuses', () => {
    const store = new MemoryStore();
    const keeper = new SeatKeeper(store, 'K7QP2M');
    expect(keeper.save(SEAT)).toBe(true);
    expect(store.items.has(keptKey('K7QP2M'))).toBe(true);
    expect(keeper.load()).toEqual(SEAT);
    keeper.forget();
    expect(keeper.load()).toBeNull();
    const problems: unknown[] = [];
    const full = new SeatKeeper(
      {
        getItem: () => null,
        setItem: () => {
          throw new Error('quota exceeded');
        },
        removeItem: () => {},
      },
      'K7QP2M',
      (e) => problems.push(e),
    );
    expect(full.save(SEAT)).toBe(false);
    expect(String(problems[0])).toContain('quota exceeded');
  });
});
