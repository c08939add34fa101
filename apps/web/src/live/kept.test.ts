/** Reading back what a device kept: a damaged or tampered entry is ignored, never trusted. */
import { describe, expect, it } from 'vitest';
import { eventKey, type KeptSeat, keptKey, MemoryStore, readKept, SeatKeeper } from './kept.ts';

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
const { pending, ...ENTRY } = SEAT;
const texts = (events: readonly unknown[]) => events.map((e) => JSON.stringify(e));

describe('a kept seat', () => {
  it('reads back what was kept, events in order', () => {
    expect(readKept(JSON.stringify(ENTRY), 'K7QP2M', texts([...pending].reverse()))).toEqual(SEAT);
  });

  it('ignores damaged text, another room, and an entry without a device', () => {
    expect(readKept(null, 'K7QP2M')).toBeNull();
    expect(readKept('{"code":', 'K7QP2M')).toBeNull();
    expect(readKept('"text"', 'K7QP2M')).toBeNull();
    expect(readKept(JSON.stringify(ENTRY), 'AAAA22')).toBeNull();
    expect(readKept(JSON.stringify({ ...ENTRY, join: { role: 'participant' } }), 'K7QP2M')).toBeNull();
    expect(
      readKept(JSON.stringify({ ...ENTRY, join: { ...ENTRY.join, role: 'admin' } }), 'K7QP2M'),
    ).toBeNull();
  });

  it('leaves out events that could never be recorded and a token of the wrong shape', () => {
    const tampered = { ...ENTRY, resume: 'short', nextClientSeq: 1 };
    const events = [
      ...texts(pending),
      ...texts([
        { type: 'play', clientSeq: 9, event: { type: 'note', t: 1, pitch: 60, velocity: 400, duration: 1 } },
        { type: 'admit', participant: 'p2' },
        'nonsense',
      ]),
      '{"type":',
    ];
    const read = readKept(JSON.stringify(tampered), 'K7QP2M', events);
    expect(read?.resume).toBeNull();
    expect(read?.pending).toEqual(pending);
    // Numbering never goes back below an event kept.
    expect(read?.nextClientSeq).toBe(4);
  });

  it('keeps the seat and each event under its own key, lets go of one, and forgets them all', () => {
    const store = new MemoryStore();
    store.setItem('attune.seat.OTHER1.event.2', '{}');
    const keeper = new SeatKeeper(store, 'K7QP2M');
    expect(keeper.save(ENTRY)).toBe(true);
    for (const event of pending) expect(keeper.keep(event)).toBe(true);
    expect(store.items.has(eventKey('K7QP2M', 3))).toBe(true);
    expect(keeper.load()).toEqual(SEAT);
    keeper.release(2);
    expect(keeper.load()?.pending).toEqual([pending[1]]);
    keeper.forget();
    expect(keeper.load()).toBeNull();
    expect([...store.items.keys()]).toEqual(['attune.seat.OTHER1.event.2']);
    expect(store.getItem(keptKey('K7QP2M'))).toBeNull();
  });

  it('survives a store that refuses, saying why', () => {
    const problems: unknown[] = [];
    const full = new SeatKeeper(
      {
        getItem: () => null,
        setItem: () => {
          throw new Error('quota exceeded');
        },
        removeItem: () => {},
        key: () => null,
        length: 0,
      },
      'K7QP2M',
      (e) => problems.push(e),
    );
    expect(full.save(ENTRY)).toBe(false);
    expect(full.keep(pending[0] as KeptSeat['pending'][number])).toBe(false);
    expect(String(problems[0])).toContain('quota exceeded');
  });
});
