import { describe, expect, it } from 'vitest';
import { laneLabel, lanesOf, linksInput } from './links.ts';

const names = new Map([
  ['c1', 'Mia Jansen'],
  ['c2', 'Sam Berg'],
]);

describe('lanesOf', () => {
  it("lists the clients' seats in seat order, not the therapist's or the companion's", () => {
    const events = ['p10', 'therapist', 'p2', 'companion', 'p1', 'p2'].map((participant) => ({
      participant,
    }));
    expect(lanesOf(events)).toEqual(['p1', 'p2', 'p10']);
    expect(lanesOf([])).toEqual([]);
  });

  it('names a lane as a seat', () => {
    expect(laneLabel('p3')).toBe('Seat 3 (p3)');
    expect(laneLabel('therapist')).toBe('therapist');
  });
});

describe('linksInput', () => {
  it('turns the rows into the links body, an unknown lane as null and no group as null', () => {
    expect(
      linksInput(
        [
          { client: 'c1', lane: 'p1' },
          { client: 'c2', lane: '' },
          { client: '', lane: 'p2' },
        ],
        '',
        names,
      ),
    ).toEqual({
      clients: [
        { id: 'c1', participant: 'p1' },
        { id: 'c2', participant: null },
      ],
      group: null,
    });
    expect(linksInput([], 'g1', names)).toEqual({ clients: [], group: 'g1' });
  });

  it('refuses two clients in one seat, or one client twice, by name', () => {
    expect(
      linksInput(
        [
          { client: 'c1', lane: 'p1' },
          { client: 'c2', lane: 'p1' },
        ],
        '',
        names,
      ),
    ).toBe('Mia Jansen and Sam Berg are both in Seat 1 (p1): one seat is one person.');
    expect(
      linksInput(
        [
          { client: 'c1', lane: 'p1' },
          { client: 'c1', lane: 'p2' },
        ],
        '',
        names,
      ),
    ).toBe('Mia Jansen is listed twice: list each client once.');
    expect(linksInput([{ client: 'c1', lane: 'x' }], '', names)).toBe('x is not a seat of the session.');
  });
});
