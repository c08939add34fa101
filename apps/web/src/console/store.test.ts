import { describe, expect, it } from 'vitest';
import { MemoryStore, SeatKeeper } from '../live/kept.ts';
import { CONSOLE_PREFIX, prefixedStore } from './store.ts';

describe('the console’s own keys in a shared localStorage', () => {
  it('reads, writes, lists and removes only its own keys', () => {
    const shared = new MemoryStore();
    shared.setItem('attune.seat.K7QP2M', '{"client":true}');
    const view = prefixedStore(shared);
    expect(view.getItem('attune.seat.K7QP2M')).toBeNull();
    expect(view.length).toBe(0);
    view.setItem('attune.seat.K7QP2M', '{"console":true}');
    view.setItem('attune.seat.K7QP2M.event.3', '{}');
    expect(view.length).toBe(2);
    expect([0, 1].map((i) => view.key(i))).toEqual(['attune.seat.K7QP2M', 'attune.seat.K7QP2M.event.3']);
    expect(view.key(2)).toBeNull();
    expect(shared.getItem('attune.seat.K7QP2M')).toBe('{"client":true}');
    expect(shared.getItem(`${CONSOLE_PREFIX}attune.seat.K7QP2M`)).toBe('{"console":true}');
    view.removeItem('attune.seat.K7QP2M.event.3');
    expect([...shared.items.keys()]).toEqual(['attune.seat.K7QP2M', `${CONSOLE_PREFIX}attune.seat.K7QP2M`]);
  });

  it('keeps a client device’s seat out of the console’s, and the console’s out of the client’s', () => {
    const shared = new MemoryStore();
    const join = { role: 'participant' as const, device: 'Tablet' };
    const client = new SeatKeeper(shared, 'K7QP2M');
    const seat = {
      code: 'K7QP2M',
      join,
      resume: 'r'.repeat(22),
      participant: 'p1',
      session: 's',
      admitted: true,
      nextClientSeq: 4,
    };
    expect(client.save(seat)).toBe(true);
    const therapist = new SeatKeeper(prefixedStore(shared), 'K7QP2M');
    expect(therapist.load()).toBeNull();
    therapist.save({ ...seat, join: { role: 'therapist', device: 'Console' }, participant: 'therapist' });
    expect(therapist.load()?.participant).toBe('therapist');
    therapist.forget();
    expect(therapist.load()).toBeNull();
    expect(client.load()?.participant).toBe('p1');
  });
});
