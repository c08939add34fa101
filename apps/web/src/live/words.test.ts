import { describe, expect, it } from 'vitest';
import { endedWords, statusWords } from './words.ts';

const clock = { offset: 3, error: 0.0042, roundTrip: 0.0084, samples: 5 };

describe('the words of the connection', () => {
  it('says calmly how the link is and how many notes are kept safe', () => {
    expect(statusWords({ link: 'connected', kept: 0, clock })).toEqual({
      line: 'Connected',
      detail: 'In time with the room to within 4 ms.',
      spoken: 'Connected.',
    });
    expect(statusWords({ link: 'connected', kept: 1, clock: null }).line).toBe('Connected · sending 1 note');
    expect(statusWords({ link: 'reconnecting', kept: 2, clock }).line).toBe(
      'Reconnecting · 2 notes kept safe',
    );
    expect(statusWords({ link: 'offline', kept: 12, clock }).line).toBe(
      'Offline · 12 notes kept safe on this device',
    );
    expect(statusWords({ link: 'offline', kept: 0, clock }).line).toBe('Offline · trying again');
  });

  it('tells a screen reader only of the link, the same whatever the count', () => {
    const spoken = [1, 2, 30].map((kept) => statusWords({ link: 'offline', kept, clock }).spoken);
    expect(new Set(spoken).size).toBe(1);
    expect(spoken[0]).toContain('kept safe on this device');
  });

  it('ends in plain words for each way a session can end for a device', () => {
    expect(endedWords({ code: 'room-closed', message: '' }).title).toBe('The session has ended');
    expect(endedWords({ code: 'dismissed', message: '' }).line).toContain('closed this seat');
    expect(endedWords({ code: 'unknown-room', message: '' }).title).toBe('No session has this code');
    expect(endedWords({ code: 'flood', message: 'far too many messages' }).line).toBe(
      'far too many messages',
    );
  });
});
