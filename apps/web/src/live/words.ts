/**
 * What the player reads about the connection and about the end of a session: calm, short, and
 * never alarming. A dropped link is something the device handles; the player is told only that
 * their playing is safe.
 */
import type { Ended, LiveStatus } from './connection.ts';

const notes = (n: number) => (n === 1 ? '1 note' : `${n} notes`);

/**
 * The status line and a longer detail (the clock's estimated error) for the corner of the screen.
 * @example statusWords({ link: 'offline', kept: 12, ... }).line // 'Offline · 12 notes kept safe on this device'
 */
export function statusWords(status: Pick<LiveStatus, 'link' | 'kept' | 'clock'>): {
  line: string;
  detail: string;
  spoken: string;
} {
  return { ...shown(status), spoken: SPOKEN[status.link] };
}

/** What a screen reader says, once per change of the link (not at every note kept). */
const SPOKEN: Readonly<Record<LiveStatus['link'], string>> = {
  connected: 'Connected.',
  connecting: 'Connecting.',
  reconnecting: 'Reconnecting. Keep playing: your notes are kept safe on this device.',
  offline: 'Offline. Keep playing: your notes are kept safe on this device.',
};

function shown(status: Pick<LiveStatus, 'link' | 'kept' | 'clock'>): { line: string; detail: string } {
  const clock = status.clock
    ? `In time with the room to within ${Math.max(1, Math.round(status.clock.error * 1000))} ms.`
    : '';
  switch (status.link) {
    case 'connected':
      return {
        line: status.kept > 0 ? `Connected · sending ${notes(status.kept)}` : 'Connected',
        detail: clock,
      };
    case 'connecting':
      return { line: 'Connecting…', detail: '' };
    case 'reconnecting':
      return {
        line: status.kept > 0 ? `Reconnecting · ${notes(status.kept)} kept safe` : 'Reconnecting…',
        detail:
          'Keep playing: everything you play is kept on this device and sent when the connection is back.',
      };
    case 'offline':
      return {
        line:
          status.kept > 0
            ? `Offline · ${notes(status.kept)} kept safe on this device`
            : 'Offline · trying again',
        detail:
          'Keep playing: everything you play is kept on this device and sent when the connection is back.',
      };
  }
}

/** What the player reads when the session is over for this device. */
export function endedWords(ended: Ended): { title: string; line: string } {
  switch (ended.code) {
    case 'room-closed':
      return { title: 'The session has ended', line: 'Thank you for playing.' };
    case 'dismissed':
      return {
        title: 'Your seat is closed',
        line: 'The therapist has closed this seat. Thank you for playing.',
      };
    case 'left':
      return { title: 'You left the session', line: 'You can join again with the code.' };
    case 'replaced':
      return {
        title: 'Playing on another screen',
        line: 'Your seat is open in another window or device now.',
      };
    case 'room-full':
      return { title: 'The room is full', line: 'Ask your therapist when a seat is free.' };
    case 'too-many-attempts':
      return {
        title: 'Please wait a few minutes',
        line: 'Too many codes that did not fit were tried from this network. Try again in five minutes.',
      };
    case 'version':
      return { title: 'This page is out of date', line: 'Reload the page to join.' };
    case 'unknown-room':
      return { title: 'No session has this code', line: 'Check the code with your therapist.' };
    default:
      return { title: 'You are no longer in the session', line: ended.message };
  }
}
