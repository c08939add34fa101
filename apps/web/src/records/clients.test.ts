import { describe, expect, it } from 'vitest';
import type { ClientInput, ClientSummary } from './api.ts';
import { ageOn, clientChange, dayLabel, erasureWords, fieldOf, findClients } from './clients.ts';

const consent = { recording: true, research: false, family: true };
const client = (id: string, name: string, displayName: string): ClientSummary => ({
  id,
  name,
  displayName,
  birthDate: '2016-02-29',
  consent,
});

describe('findClients', () => {
  const list = [
    client('1', 'Zoë Brandt', 'Zo'),
    client('2', 'Mia Jansen', 'Mia'),
    client('3', 'Sam Berg', 'SB'),
  ];

  it('finds by every word of the name or display name, without minding case or accents', () => {
    expect(findClients(list, 'mia jan').map((c) => c.id)).toEqual(['2']);
    expect(findClients(list, 'ZOE').map((c) => c.id)).toEqual(['1']);
    expect(findClients(list, 'sb').map((c) => c.id)).toEqual(['3']);
    expect(findClients(list, 'mia berg')).toEqual([]);
  });

  it('lists everyone in name order for an empty search', () => {
    expect(findClients(list, '  ').map((c) => c.name)).toEqual(['Mia Jansen', 'Sam Berg', 'Zoë Brandt']);
  });
});

describe('ageOn', () => {
  it('counts whole years, a leap-day birthday passing on 1 March', () => {
    expect(ageOn('2016-02-29', '2026-02-28')).toBe(9);
    expect(ageOn('2016-02-29', '2026-03-01')).toBe(10);
    expect(ageOn('1950-11-25', '2026-11-25T09:00:00Z')).toBe(76);
  });

  it('says nothing for a date that is not one or lies ahead', () => {
    expect(ageOn('25/11/1950', '2026-11-25')).toBeNull();
    expect(ageOn('2030-01-01', '2026-11-25')).toBeNull();
  });
});

describe('fieldOf', () => {
  it("reads the field from the records' sentences and the schema's", () => {
    expect(fieldOf('Name must not be blank.')).toBe('name');
    expect(fieldOf('Birth date is not a day of the calendar: "2019-02-29".')).toBe('birthDate');
    expect(fieldOf('Display name may have at most 40 characters.')).toBe('displayName');
    expect(fieldOf('DisplayName must NOT have more than 40 characters.')).toBe('displayName');
    expect(fieldOf('Notes may have at most 10000 characters.')).toBe('notes');
  });

  it('leaves a refusal about no one field to the form as a whole', () => {
    expect(fieldOf('Only an admin can do this.')).toBeNull();
    expect(fieldOf('The body has a field it does not take: nickname.')).toBeNull();
  });
});

describe('clientChange', () => {
  const mia: ClientInput = {
    name: 'Mia Jansen',
    birthDate: '2016-02-29',
    displayName: 'Mia',
    consent,
    notes: '',
  };

  it('sends only what changed, consent flag by flag', () => {
    expect(clientChange(mia, { ...mia, consent: { ...consent, family: false } })).toEqual({
      consent: { family: false },
    });
    expect(clientChange(mia, { ...mia, displayName: 'MJ', notes: 'Likes the drum.' })).toEqual({
      displayName: 'MJ',
      notes: 'Likes the drum.',
    });
  });

  it('says nothing changed when nothing did', () => {
    expect(clientChange(mia, { ...mia, consent: { ...consent } })).toBeNull();
  });
});

describe('erasureWords', () => {
  it('says what went, what was kept and why', () => {
    const words = erasureWords({
      sessionsDeleted: 2,
      sessionsKept: ['s9'],
      lanesPseudonymised: 1,
      groupsLeft: 1,
    });
    expect(words[0]).toBe('2 sessions that were theirs alone were deleted with their recording and notes.');
    expect(words[1]).toContain(
      "1 session shared with other clients is kept, because its music is also the other clients' record",
    );
    expect(words[1]).toContain('1 lane renamed');
    expect(words[2]).toBe('They were taken out of 1 group.');
  });

  it('says when no session was theirs alone', () => {
    expect(
      erasureWords({ sessionsDeleted: 0, sessionsKept: [], lanesPseudonymised: 0, groupsLeft: 0 }),
    ).toEqual(['No session was theirs alone, so no recording was deleted.']);
  });
});

describe('dayLabel', () => {
  it('shows the day itself, whatever the time zone', () => {
    expect(dayLabel('2016-02-29', 'en-GB')).toBe('29 Feb 2016');
    expect(dayLabel('not a day', 'en-GB')).toBe('not a day');
  });
});
