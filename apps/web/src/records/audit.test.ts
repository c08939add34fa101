import { describe, expect, it } from 'vitest';
import type { AuditEntry } from './api.ts';
import { auditQuery, filenameOf } from './api.ts';
import { actionWords, actorName, changedFields, dayAfter, targetName, whenLabel } from './audit.ts';

const entry = (actor: string | null, target: string | null): AuditEntry => ({
  id: 'e1',
  at: '2026-11-25T10:02:11.204Z',
  actor,
  action: 'client-read',
  target,
  address: '127.0.0.1',
  detail: {},
});

describe('the audit trail in words', () => {
  it('says each action plainly, and a refusal with its reason', () => {
    expect(actionWords('client-read', {})).toBe("read a client's record");
    expect(actionWords('client-updated', { fields: ['notes'] })).toBe("changed a client's record");
    expect(actionWords('client-read-refused', { reason: 'not-assigned' })).toBe(
      "tried to read a client's record: refused (not assigned)",
    );
    expect(actionWords('client-create-refused', { reason: 'admin-only' })).toBe(
      'tried to make a client: refused (needs an admin)',
    );
    expect(actionWords('something-new', null)).toBe('something new');
  });

  it('resolves ids to the names the admin can see, and keeps the id otherwise', () => {
    const names = new Map([
      ['u1', 'Ann Lee'],
      ['c1', 'Mia Jansen'],
    ]);
    expect(actorName(entry('u1', 'c1'), names)).toBe('Ann Lee');
    expect(targetName(entry('u1', 'c1'), names)).toBe('Mia Jansen');
    expect(actorName(entry(null, null), names)).toBe('someone not logged in');
    expect(targetName(entry('u2', 'gone'), names)).toBe('gone');
    expect(targetName(entry('u2', null), names)).toBe('');
  });

  it('says when to the second', () => {
    expect(whenLabel('2026-11-25T10:02:11.204Z', 'en-GB', 'UTC')).toBe('25 Nov 2026, 10:02:11');
    expect(whenLabel('never', 'en-GB', 'UTC')).toBe('never');
  });

  it('lists the fields a change names', () => {
    expect(changedFields({ fields: ['notes', 'consent.research'] })).toBe('notes, consent.research');
    expect(changedFields({ reason: 'missing' })).toBe('');
    expect(changedFields(null)).toBe('');
  });

  it("takes the whole of the last day of a range (the studio's end is exclusive)", () => {
    expect(dayAfter('2026-02-28')).toBe('2026-03-01');
    expect(dayAfter('2026-12-31')).toBe('2027-01-01');
    expect(dayAfter('nonsense')).toBe('nonsense');
  });

  it('leaves empty filters out of the query', () => {
    expect(auditQuery({ client: 'a1', action: '', actor: undefined, limit: 200 })).toBe(
      '?client=a1&limit=200',
    );
    expect(auditQuery({})).toBe('');
  });
});

describe('filenameOf', () => {
  it('reads the name the studio gives a download', () => {
    expect(filenameOf('attachment; filename="attune-client-a1-2026-11-25.json"', 'x.json')).toBe(
      'attune-client-a1-2026-11-25.json',
    );
    expect(filenameOf(null, 'x.json')).toBe('x.json');
  });
});
