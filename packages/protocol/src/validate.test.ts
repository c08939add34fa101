import type {
  SteeringControl as EngineControl,
  PlayedEvent as EnginePlayedEvent,
} from '@attune/engine/companion';
import { describe, expect, it } from 'vitest';
import { CLIENT_EXAMPLES, SERVER_EXAMPLES } from './examples.ts';
import { PROTOCOL_VERSION } from './index.ts';
import {
  CLIENT_SCHEMAS,
  MAX_CLIENT_MESSAGE_BYTES,
  MAX_SEATS,
  type PlayedEvent,
  SERVER_SCHEMAS,
  type SteeringControl,
} from './messages.ts';
import {
  checkServerMessage,
  encode,
  parseClientMessage,
  parseServerMessage,
  statedVersion,
  utf8Length,
  validateClient,
  validateServer,
} from './validate.ts';

// The wire types are the engine's types: a checked message feeds the companion with no conversion.
const asEngineEvent = (e: PlayedEvent): EnginePlayedEvent => e;
const asEngineControl = (c: SteeringControl): EngineControl => c;

describe('valid messages', () => {
  it('has an example of every message type', () => {
    expect(Object.keys(CLIENT_EXAMPLES).sort()).toEqual(Object.keys(CLIENT_SCHEMAS).sort());
    expect(Object.keys(SERVER_EXAMPLES).sort()).toEqual(Object.keys(SERVER_SCHEMAS).sort());
  });

  for (const [type, example] of Object.entries(CLIENT_EXAMPLES)) {
    it(`round-trips the client message ${type}`, () => {
      const checked = parseClientMessage(encode(example));
      expect(checked).toEqual({ ok: true, message: example });
      expect(validateClient[type as keyof typeof CLIENT_EXAMPLES](example).ok).toBe(true);
    });
  }
  for (const [type, example] of Object.entries(SERVER_EXAMPLES)) {
    it(`round-trips the server message ${type}`, () => {
      expect(parseServerMessage(encode(example))).toEqual({ ok: true, message: example });
      expect(validateServer[type as keyof typeof SERVER_EXAMPLES](example).ok).toBe(true);
    });
  }

  it('accepts every played event and steering control the engine knows', () => {
    const events: PlayedEvent[] = [
      { type: 'note', t: 0, pitch: 60, velocity: 1, duration: 0, channel: 15 },
      { type: 'hit', t: 86_400, instrument: 81, velocity: 127 },
      { type: 'voice', t: 3.2, pitch: null, loudness: 0, onset: false },
      { type: 'voice', t: 3.22, pitch: 57.31, loudness: 1, onset: true },
    ];
    for (const event of events) {
      expect(parseClientMessage(encode({ type: 'play', clientSeq: 0, event })).ok).toBe(true);
      expect(asEngineEvent(event)).toBe(event);
    }
    const controls: SteeringControl[] = [
      { type: 'idiom', idiom: 'dorian' },
      { type: 'idiom', idiom: 'auto' },
      { type: 'key', key: 'F#' },
      { type: 'key', key: 'auto' },
      { type: 'techniques', techniques: ['dialogue'] },
      { type: 'tempo', tempo: { kind: 'follow' } },
      { type: 'tempo', tempo: { kind: 'hold', bpm: 90 } },
      { type: 'tempo', tempo: { kind: 'guide', bpm: 72.5 } },
      { type: 'energy', energy: 0.25 },
      { type: 'register', register: null },
      { type: 'register', register: 74 },
      { type: 'voices', voices: ['bass', 'percussion'] },
      { type: 'start' },
      { type: 'fade-out', bars: 2 },
      { type: 'end', cadence: true },
    ];
    for (const control of controls) {
      expect(parseClientMessage(encode({ type: 'steer', clientSeq: 3, t: 1, control }))).toMatchObject({
        ok: true,
      });
      expect(asEngineControl(control)).toBe(control);
    }
  });

  it('accepts a resume hello and a therapist hello with a key', () => {
    const resume = {
      type: 'hello',
      protocol: 1,
      role: 'participant',
      resume: 'abcdefghijklmnop',
      device: 'x',
    };
    const therapist = {
      type: 'hello',
      protocol: 1,
      role: 'therapist',
      room: 'ABCD',
      key: 'k',
      device: 'console',
    };
    expect(parseClientMessage(JSON.stringify(resume)).ok).toBe(true);
    expect(parseClientMessage(JSON.stringify(therapist)).ok).toBe(true);
  });
});

const play = (event: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'play',
  clientSeq: 5,
  event,
  ...extra,
});
const note = { type: 'note', t: 1, pitch: 60, velocity: 80, duration: 0.2 };
const hello = { type: 'hello', protocol: 1, role: 'participant', room: 'ABCD', device: 'tab' };
const steer = (control: unknown) => ({ type: 'steer', clientSeq: 9, t: 2, control });

/** [what is wrong, the text sent, the code, the path, a piece of the reason] */
const BAD: Array<[string, string, string, string, string]> = [
  ['not JSON', '{"type":"play",', 'malformed', '', 'not JSON'],
  ['empty text', '', 'malformed', '', 'not JSON'],
  ['a JSON array', '[1,2]', 'malformed', '', 'JSON object'],
  ['a JSON string', '"hello"', 'malformed', '', 'JSON object'],
  ['JSON null', 'null', 'malformed', '', 'JSON object'],
  ['no type', '{"clientSeq":1}', 'invalid', '/type', 'needs a type'],
  ['a numeric type', '{"type":7}', 'invalid', '/type', 'needs a type'],
  ['an unknown type', '{"type":"launch"}', 'unknown-type', '/type', 'unknown message type "launch"'],
  [
    'a server type sent by a client',
    '{"type":"ack","clientSeq":1,"seq":1,"duplicate":false}',
    'unknown-type',
    '/type',
    'known: hello',
  ],
  ['a prototype key as type', '{"type":"__proto__"}', 'unknown-type', '/type', 'unknown'],
  ['toString as type', '{"type":"toString"}', 'unknown-type', '/type', 'unknown'],
  ['an extra field', JSON.stringify({ ...play(note), admin: true }), 'invalid', '/admin', 'not a field'],
  [
    'an extra field inside the event',
    JSON.stringify(play({ ...note, colour: 'red' })),
    'invalid',
    '/event/colour',
    'not a field',
  ],
  ['a __proto__ field', '{"type":"bye","__proto__":{"x":1}}', 'invalid', '/__proto__', 'not a field'],
  ['a missing clientSeq', JSON.stringify({ type: 'play', event: note }), 'invalid', '/clientSeq', 'required'],
  ['a missing event', JSON.stringify({ type: 'play', clientSeq: 1 }), 'invalid', '/event', 'required'],
  [
    'a fractional clientSeq',
    JSON.stringify(play(note, { clientSeq: 1.5 })),
    'invalid',
    '/clientSeq',
    'integer',
  ],
  [
    'a negative clientSeq',
    JSON.stringify(play(note, { clientSeq: -1 })),
    'invalid',
    '/clientSeq',
    'greater or equal to 0',
  ],
  [
    'a clientSeq past 2^31',
    JSON.stringify(play(note, { clientSeq: 2 ** 31 })),
    'invalid',
    '/clientSeq',
    'less or equal',
  ],
  ['a clientSeq as text', JSON.stringify(play(note, { clientSeq: '5' })), 'invalid', '/clientSeq', 'integer'],
  [
    'an infinite time',
    '{"type":"play","clientSeq":1,"event":{"type":"hit","t":1e999,"instrument":38,"velocity":9}}',
    'invalid',
    '/event/t',
    'finite',
  ],
  ['an infinite ping time', '{"type":"ping","id":1,"t0":-1e999}', 'invalid', '/t0', 'finite'],
  [
    'a negative time',
    JSON.stringify(play({ ...note, t: -0.5 })),
    'invalid',
    '/event/t',
    'greater or equal to 0',
  ],
  ['a time past a day', JSON.stringify(play({ ...note, t: 90_000 })), 'invalid', '/event/t', 'less or equal'],
  [
    'a pitch of 128',
    JSON.stringify(play({ ...note, pitch: 128 })),
    'invalid',
    '/event/pitch',
    'less or equal to 127',
  ],
  [
    'a velocity of 0',
    JSON.stringify(play({ ...note, velocity: 0 })),
    'invalid',
    '/event/velocity',
    'greater or equal to 1',
  ],
  [
    'a fractional velocity',
    JSON.stringify(play({ ...note, velocity: 80.5 })),
    'invalid',
    '/event/velocity',
    'integer',
  ],
  [
    'a duration as text',
    JSON.stringify(play({ ...note, duration: '1s' })),
    'invalid',
    '/event/duration',
    'number',
  ],
  [
    'a channel of 16',
    JSON.stringify(play({ ...note, channel: 16 })),
    'invalid',
    '/event/channel',
    'less or equal to 15',
  ],
  [
    'an unknown event type',
    JSON.stringify(play({ ...note, type: 'chord' })),
    'invalid',
    '/event/type',
    'type must be one of note, hit, voice',
  ],
  [
    'an event without a type',
    JSON.stringify(play({ t: 1, pitch: 60 })),
    'invalid',
    '/event/type',
    'type must be one of',
  ],
  ['an event as an array', JSON.stringify(play([note])), 'invalid', '/event', 'must be'],
  [
    'a hit without an instrument',
    JSON.stringify(play({ type: 'hit', t: 1, velocity: 9 })),
    'invalid',
    '/event/instrument',
    'required',
  ],
  [
    'a voice loudness above 1',
    JSON.stringify(play({ type: 'voice', t: 1, pitch: 60, loudness: 2, onset: true })),
    'invalid',
    '/event/loudness',
    'less or equal to 1',
  ],
  [
    'a voice pitch as text',
    JSON.stringify(play({ type: 'voice', t: 1, pitch: 'A4', loudness: 0.5, onset: true })),
    'invalid',
    '/event/pitch',
    'must be a number from 0 to 127 or null',
  ],
  [
    'a voice onset as 1',
    JSON.stringify(play({ type: 'voice', t: 1, pitch: null, loudness: 0.5, onset: 1 })),
    'invalid',
    '/event/onset',
    'boolean',
  ],
  [
    'a hello of no role',
    JSON.stringify({ ...hello, role: 'admin' }),
    'invalid',
    '/role',
    '"therapist" or "participant" or "speaker"',
  ],
  [
    'a hello with a lowercase code',
    JSON.stringify({ ...hello, room: 'abcd' }),
    'invalid',
    '/room',
    'must be 4 to 12 capital letters and digits, got: "abcd"',
  ],
  [
    'a hello with a long code',
    JSON.stringify({ ...hello, room: 'ABCDEFGHIJKLMN' }),
    'invalid',
    '/room',
    'length',
  ],
  [
    'a hello with both code and token',
    JSON.stringify({ ...hello, resume: 'abcdefghijklmnop' }),
    'invalid',
    '',
    'either a room code',
  ],
  [
    'a hello with neither code nor token',
    JSON.stringify({ type: 'hello', protocol: 1, role: 'participant', device: 'x' }),
    'invalid',
    '',
    'either a room code',
  ],
  [
    'a therapist hello without a key',
    JSON.stringify({ ...hello, role: 'therapist' }),
    'invalid',
    '/key',
    'key of the room',
  ],
  ['a hello with an empty device', JSON.stringify({ ...hello, device: '' }), 'invalid', '/device', 'length'],
  [
    'a hello with a 65-character device',
    JSON.stringify({ ...hello, device: 'd'.repeat(65) }),
    'invalid',
    '/device',
    'length',
  ],
  [
    `a hello with a seat of ${MAX_SEATS + 1}`,
    JSON.stringify({ ...hello, seat: MAX_SEATS + 1 }),
    'invalid',
    '/seat',
    `less or equal to ${MAX_SEATS}`,
  ],
  [
    'a hello with a short token',
    JSON.stringify({ ...hello, room: undefined, resume: 'short' }),
    'invalid',
    '/resume',
    'must be 16 to 64 letters',
  ],
  [
    'a steer of an unknown control',
    JSON.stringify(steer({ type: 'volume', value: 3 })),
    'invalid',
    '/control/type',
    'type must be one of idiom',
  ],
  [
    'a steer of an unknown technique',
    JSON.stringify(steer({ type: 'techniques', techniques: ['hypnotise'] })),
    'invalid',
    '/control/techniques/0',
    'must be',
  ],
  [
    'a steer of no techniques',
    JSON.stringify(steer({ type: 'techniques', techniques: [] })),
    'invalid',
    '/control/techniques',
    'length',
  ],
  [
    'a steer of an unknown voice',
    JSON.stringify(steer({ type: 'voices', voices: ['kazoo'] })),
    'invalid',
    '/control/voices/0',
    'must be',
  ],
  [
    'a steer of energy 1.5',
    JSON.stringify(steer({ type: 'energy', energy: 1.5 })),
    'invalid',
    '/control/energy',
    'less or equal to 1',
  ],
  [
    'a steer of tempo 300',
    JSON.stringify(steer({ type: 'tempo', tempo: { kind: 'hold', bpm: 300 } })),
    'invalid',
    '/control/tempo/bpm',
    'less or equal to 240',
  ],
  [
    'a steer of an unknown tempo policy',
    JSON.stringify(steer({ type: 'tempo', tempo: { kind: 'drift' } })),
    'invalid',
    '/control/tempo/kind',
    'kind must be one of follow, hold, guide',
  ],
  [
    'a steer of a hold tempo without bpm',
    JSON.stringify(steer({ type: 'tempo', tempo: { kind: 'hold' } })),
    'invalid',
    '/control/tempo/bpm',
    'required',
  ],
  [
    'a steer of key H',
    JSON.stringify(steer({ type: 'key', key: 'H' })),
    'invalid',
    '/control/key',
    'must be auto or a tonic such as C, F# or Bb, got: "H"',
  ],
  [
    'a steer of a fade of 0 bars',
    JSON.stringify(steer({ type: 'fade-out', bars: 0 })),
    'invalid',
    '/control/bars',
    'greater or equal to 1',
  ],
  [
    'a steer of an end without cadence',
    JSON.stringify(steer({ type: 'end' })),
    'invalid',
    '/control/cadence',
    'required',
  ],
  [
    'a steer with an extra field in the control',
    JSON.stringify(steer({ type: 'start', now: true })),
    'invalid',
    '/control/now',
    'not a field',
  ],
  [
    'a mark with a note of 1001 characters',
    JSON.stringify({ type: 'mark', clientSeq: 1, t: 1, note: 'n'.repeat(1001), tags: [] }),
    'invalid',
    '/note',
    'length',
  ],
  [
    'a mark with 17 tags',
    JSON.stringify({ type: 'mark', clientSeq: 1, t: 1, note: '', tags: Array(17).fill('x') }),
    'invalid',
    '/tags',
    'length',
  ],
  [
    'a mark with an empty tag',
    JSON.stringify({ type: 'mark', clientSeq: 1, t: 1, note: '', tags: [''] }),
    'invalid',
    '/tags/0',
    'length',
  ],
  [
    'a mark with a numeric tag',
    JSON.stringify({ type: 'mark', clientSeq: 1, t: 1, note: '', tags: [3] }),
    'invalid',
    '/tags/0',
    'string',
  ],
  [
    'an admit of an id with capitals',
    JSON.stringify({ type: 'admit', participant: 'P1' }),
    'invalid',
    '/participant',
    'lowercase letters',
  ],
  ['a ping without t0', JSON.stringify({ type: 'ping', id: 1 }), 'invalid', '/t0', 'required'],
  [
    'a bye with a reason',
    JSON.stringify({ type: 'bye', reason: 'done' }),
    'invalid',
    '/reason',
    'not a field',
  ],
  [
    'a message over the byte limit',
    JSON.stringify({ type: 'mark', clientSeq: 1, t: 1, note: 'x'.repeat(9000), tags: [] }),
    'too-large',
    '',
    'at most 8192 bytes',
  ],
  [
    'a message over the limit in UTF-8 only',
    JSON.stringify({ type: 'mark', clientSeq: 1, t: 1, note: '♪'.repeat(2800), tags: [] }),
    'too-large',
    '',
    'at most 8192 bytes',
  ],
  ['deeply nested arrays', `${'['.repeat(4000)}${']'.repeat(4000)}`, 'malformed', '', 'JSON object'],
];

describe('bad messages', () => {
  for (const [what, text, code, path, reason] of BAD) {
    it(`refuses ${what}`, () => {
      const checked = parseClientMessage(text);
      if (checked.ok) throw new Error(`accepted: ${text.slice(0, 200)}`);
      expect(checked.issue.code).toBe(code);
      expect(checked.issue.path).toBe(path);
      expect(checked.issue.reason).toContain(reason);
    });
  }

  it('names the offending message so the device can match the error to it', () => {
    const checked = parseClientMessage(JSON.stringify(play({ ...note, pitch: 200 }, { clientSeq: 77 })));
    expect(checked).toMatchObject({ ok: false, issue: { ref: { type: 'play', clientSeq: 77 } } });
    const ping = parseClientMessage('{"type":"ping","id":4,"t0":"now"}');
    expect(ping).toMatchObject({ ok: false, issue: { ref: { type: 'ping', id: 4 } } });
  });

  it('refuses a message of another type through a single-type validator', () => {
    expect(validateClient.play(CLIENT_EXAMPLES.bye)).toMatchObject({
      ok: false,
      issue: { code: 'unknown-type' },
    });
    expect(validateServer.ack(SERVER_EXAMPLES.relay)).toMatchObject({
      ok: false,
      issue: { code: 'unknown-type' },
    });
  });

  it('refuses bad server messages too (the device checks what it receives)', () => {
    const relay = { ...SERVER_EXAMPLES.relay, event: { type: 'hit', t: 1, instrument: 38, velocity: 300 } };
    expect(checkServerMessage(relay)).toMatchObject({ ok: false, issue: { path: '/event/velocity' } });
    const notes = { type: 'companion', notes: Array(257).fill(SERVER_EXAMPLES.companion.notes[0]) };
    expect(checkServerMessage(notes)).toMatchObject({ ok: false, issue: { path: '/notes' } });
  });

  it('accepts a message of exactly the byte limit and refuses one byte more', () => {
    const base = JSON.stringify({ type: 'mark', clientSeq: 1, t: 1, note: '', tags: [] });
    const fill = (n: number) =>
      JSON.stringify({ type: 'mark', clientSeq: 1, t: 1, note: 'é'.repeat(n), tags: [] });
    // 'é' is two bytes: pick the count that lands on the limit, with ASCII padding in the tag.
    const notes = Math.floor((MAX_CLIENT_MESSAGE_BYTES - base.length - 20) / 2);
    const short = fill(Math.min(notes, 1000));
    expect(utf8Length(short)).toBeLessThanOrEqual(MAX_CLIENT_MESSAGE_BYTES);
    expect(parseClientMessage(short, utf8Length(short)).ok).toBe(true);
    expect(parseClientMessage(short, utf8Length(short) - 1)).toMatchObject({
      ok: false,
      issue: { code: 'too-large' },
    });
  });
});

describe('utf8Length', () => {
  it('counts bytes as UTF-8 does', () => {
    expect(utf8Length('')).toBe(0);
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('♪')).toBe(3);
    expect(utf8Length('𝄞')).toBe(4);
    // A lone surrogate is sent as the replacement character, three bytes.
    expect(utf8Length('\ud834')).toBe(3);
    expect(utf8Length('a\udd1e')).toBe(4);
  });
});

describe('statedVersion', () => {
  it('reads the version of a hello even when the rest would not pass', () => {
    expect(statedVersion(JSON.stringify({ type: 'hello', protocol: 2, shape: 'new' }))).toBe(2);
    expect(statedVersion(encode(CLIENT_EXAMPLES.hello))).toBe(PROTOCOL_VERSION);
    expect(statedVersion(encode(CLIENT_EXAMPLES.ping))).toBeNull();
    expect(statedVersion('{"type":"hello","protocol":"1"}')).toBeNull();
    expect(statedVersion('not json')).toBeNull();
  });
});
