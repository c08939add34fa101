import { describe, expect, it } from 'vitest';
import type { ClientMessageOf } from './messages.ts';
import { Outbox } from './outbox.ts';

type PlayMessage = ClientMessageOf<'play'>;
const hit =
  (t: number) =>
  (clientSeq: number): PlayMessage => ({
    type: 'play',
    clientSeq,
    event: { type: 'hit', t, instrument: 38, velocity: 90 },
  });

describe('Outbox', () => {
  it('numbers messages in order and keeps them until acknowledged', () => {
    const box = new Outbox<PlayMessage>();
    expect(box.add(hit(1)).clientSeq).toBe(0);
    expect(box.add(hit(2)).clientSeq).toBe(1);
    expect(box.add(hit(3)).clientSeq).toBe(2);
    expect(box.ack(1)).toBe(true);
    expect(box.ack(1)).toBe(false);
    expect(box.pending().map((m) => m.clientSeq)).toEqual([0, 2]);
    expect(box.size).toBe(2);
  });

  it('never numbers below what the server says it logged', () => {
    const box = new Outbox<PlayMessage>();
    box.add(hit(1));
    box.resume(40);
    expect(box.add(hit(2)).clientSeq).toBe(40);
    box.resume(5);
    expect(box.nextClientSeq).toBe(41);
  });

  it('refuses a message that does not carry the number it was given', () => {
    const box = new Outbox<PlayMessage>(3);
    expect(() => box.add(() => hit(1)(7))).toThrow('clientSeq 3, got: 7');
    expect(box.size).toBe(0);
    expect(() => new Outbox(-1)).toThrow('got: -1');
  });

  it('takes back kept messages after a reload, in order, and numbers on after them', () => {
    const box = new Outbox<PlayMessage>();
    box.restore([hit(5)(9), hit(3)(4)]);
    expect(box.pending().map((m) => m.clientSeq)).toEqual([4, 9]);
    expect(box.add(hit(6)).clientSeq).toBe(10);
    expect(box.ack(4)).toBe(true);
    expect(box.pending().map((m) => m.event.t)).toEqual([5, 6]);
    expect(() => box.restore([hit(1)(-2)])).toThrow('got: -2');
    expect(box.size).toBe(2);
  });
});
