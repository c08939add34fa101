/**
 * Every message of the live-session protocol, in one place: client→server and server→client, each a
 * member of a tagged union on `type`. Each is a TypeBox schema, which gives the static type, the
 * run-time check and a JSON Schema (for HTTP routes and the documentation) from one definition.
 * Objects allow no extra fields; every string and array has a length bound; numbers are finite;
 * sequence numbers are integers.
 */
import { VOICES } from '@attune/engine/companion';
import { TECHNIQUES } from '@attune/engine/technique';
import { type Static, type TLiteral, type TSchema, type TUnion, Type } from '@sinclair/typebox';

/** Largest client→server message in UTF-8 bytes; anything larger is refused before it is parsed. */
export const MAX_CLIENT_MESSAGE_BYTES = 8192;
/** Largest server→client message in UTF-8 bytes (room state and companion batches are the big ones). */
export const MAX_SERVER_MESSAGE_BYTES = 65_536;
/** Largest sequence number (client or log): a 32-bit signed integer, as the store keeps it. */
export const MAX_SEQ = 2_147_483_647;
/** Most seats in a room (the therapist's seat is 0): a large group, a class or a care-home lounge. */
export const MAX_SEATS = 40;
/** Longest session: a session clock beyond a day is a device error. */
export const MAX_SESSION_TIME = 86_400;

const closed = <T extends Record<string, TSchema>>(properties: T, description?: string) =>
  Type.Object(properties, { additionalProperties: false, ...(description ? { description } : {}) });
const literals = <const T extends readonly string[]>(values: T): TUnion<TLiteral<T[number]>[]> =>
  Type.Union(values.map((v) => Type.Literal(v)));

/** An integer sequence number, 0 to 2^31−1. */
export const Seq = Type.Integer({ minimum: 0, maximum: MAX_SEQ });
/** Seconds on the session clock. */
export const SessionTime = Type.Number({ minimum: 0, maximum: MAX_SESSION_TIME });
const Midi = Type.Number({ minimum: 0, maximum: 127 });
const Velocity = Type.Integer({ minimum: 1, maximum: 127 });
const Duration = Type.Number({ minimum: 0, maximum: 60 });
/** A participant id the room hands out: 'therapist', 'companion', 'p1', 'p2', ... */
export const ParticipantId = Type.String({
  pattern: '^[a-z0-9-]{1,32}$',
  maxLength: 32,
  description: '1 to 32 lowercase letters, digits or -',
});
/** A room code as a therapist reads it out: 4 to 12 capital letters and digits. */
export const RoomCode = Type.String({
  pattern: '^[A-Z0-9]{4,12}$',
  maxLength: 12,
  description: '4 to 12 capital letters and digits',
});
/** The token a device presents to take its seat again after a dropped connection. */
export const ResumeToken = Type.String({
  pattern: '^[A-Za-z0-9_-]{16,64}$',
  maxLength: 64,
  description: '16 to 64 letters, digits, _ or -',
});
const Seat = Type.Integer({ minimum: 0, maximum: MAX_SEATS });
const Colour = Type.String({ pattern: '^#[0-9a-f]{6}$', maxLength: 7, description: 'a colour as #rrggbb' });
const Role = literals(['therapist', 'participant', 'speaker'] as const);
const Tonic = Type.String({
  pattern: '^(auto|[A-G](#|b)?)$',
  maxLength: 4,
  description: 'auto or a tonic such as C, F# or Bb',
});
const IdiomName = Type.String({ pattern: '^[a-z0-9-]{1,32}$', maxLength: 32, description: 'an idiom name' });
const Technique = literals(TECHNIQUES);
const Voice = literals(VOICES);
const Bpm = Type.Number({ minimum: 30, maximum: 240 });

// ---- musical events (the engine's PlayedEvent) ----

export const NoteEvent = closed({
  type: Type.Literal('note'),
  t: SessionTime,
  pitch: Midi,
  velocity: Velocity,
  duration: Duration,
  channel: Type.Optional(Type.Integer({ minimum: 0, maximum: 15 })),
});
export const HitEvent = closed({
  type: Type.Literal('hit'),
  t: SessionTime,
  instrument: Type.Integer({ minimum: 0, maximum: 127 }),
  velocity: Velocity,
});
export const VoiceFrame = closed({
  type: Type.Literal('voice'),
  t: SessionTime,
  pitch: Type.Union([Midi, Type.Null()]),
  loudness: Type.Number({ minimum: 0, maximum: 1 }),
  onset: Type.Boolean(),
});
/** A note, hit or voice frame, stamped on the device at the touch. */
export const PlayedEvent = Type.Union([NoteEvent, HitEvent, VoiceFrame]);

// ---- companion settings and steering (the engine's SteeringControl) ----

export const TempoPolicy = Type.Union([
  closed({ kind: Type.Literal('follow') }),
  closed({ kind: Type.Literal('hold'), bpm: Bpm }),
  closed({ kind: Type.Literal('guide'), bpm: Bpm }),
]);
const Techniques = Type.Array(Technique, { minItems: 1, maxItems: TECHNIQUES.length });
const Voices = Type.Array(Voice, { minItems: 1, maxItems: VOICES.length });
const Register = Type.Union([Type.Number({ minimum: 24, maximum: 108 }), Type.Null()]);

/** A steering control: what a therapist may change about the companion. */
export const SteeringControl = Type.Union([
  closed({ type: Type.Literal('idiom'), idiom: Type.Union([Type.Literal('auto'), IdiomName]) }),
  closed({ type: Type.Literal('key'), key: Tonic }),
  closed({ type: Type.Literal('techniques'), techniques: Techniques }),
  closed({ type: Type.Literal('tempo'), tempo: TempoPolicy }),
  closed({ type: Type.Literal('energy'), energy: Type.Number({ minimum: 0, maximum: 1 }) }),
  closed({ type: Type.Literal('register'), register: Register }),
  closed({ type: Type.Literal('voices'), voices: Voices }),
  closed({ type: Type.Literal('start') }),
  closed({ type: Type.Literal('fade-out'), bars: Type.Number({ minimum: 1, maximum: 64 }) }),
  closed({ type: Type.Literal('end'), cadence: Type.Boolean() }),
]);

/** The companion's settings as the room shows them. */
export const CompanionSettings = closed({
  idiom: Type.Union([Type.Literal('auto'), IdiomName]),
  key: Tonic,
  techniques: Techniques,
  tempo: TempoPolicy,
  energy: Type.Number({ minimum: 0, maximum: 1 }),
  register: Register,
  voices: Voices,
  beatsPerBar: Type.Integer({ minimum: 2, maximum: 12 }),
  startTempo: Bpm,
  autoStart: Type.Boolean(),
});

// ---- client → server ----

export const Hello = closed(
  {
    type: Type.Literal('hello'),
    protocol: Type.Integer({ minimum: 0, maximum: 1000 }),
    role: Role,
    /** A new join: the room code. Exactly one of `room` and `resume`. */
    room: Type.Optional(RoomCode),
    /** A rejoin after a dropped connection: the token from welcome or waiting. */
    resume: Type.Optional(ResumeToken),
    /** The therapist's credential for this room (the accounts API issues it). */
    key: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    device: Type.String({ minLength: 1, maxLength: 64 }),
    /** A first name or initials; clients appear by nothing more. */
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    /** The seat the device would like (1..16). */
    seat: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SEATS })),
  },
  'The first message of a connection: who connects, to which room, speaking which version.',
);
export const Ping = closed(
  {
    type: Type.Literal('ping'),
    id: Seq,
    /** Device clock in seconds when the ping was sent. */
    t0: Type.Number({ minimum: -1e9, maximum: 1e9 }),
  },
  'One clock sample request.',
);
export const Play = closed(
  { type: Type.Literal('play'), clientSeq: Seq, event: PlayedEvent },
  'A note, hit or voice frame the device played, for the log and the room.',
);
export const Steer = closed(
  { type: Type.Literal('steer'), clientSeq: Seq, t: SessionTime, control: SteeringControl },
  "A change to the companion (therapist only); `t` is the therapist's session time at the click.",
);
export const Mark = closed(
  {
    type: Type.Literal('mark'),
    clientSeq: Seq,
    t: SessionTime,
    note: Type.String({ maxLength: 1000 }),
    tags: Type.Array(Type.String({ minLength: 1, maxLength: 32 }), { maxItems: 16 }),
  },
  'An index mark on the session recording (therapist only).',
);
export const Admit = closed(
  {
    type: Type.Literal('admit'),
    participant: ParticipantId,
    seat: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SEATS })),
  },
  'The therapist lets a waiting device into the room, optionally on a given seat.',
);
export const Dismiss = closed(
  { type: Type.Literal('dismiss'), participant: ParticipantId },
  'The therapist turns a waiting device away or removes a participant.',
);
export const Bye = closed(
  { type: Type.Literal('bye') },
  'The device leaves for good; its resume token ends.',
);

/** Every message a device may send. */
export const ClientMessage = Type.Union([Hello, Ping, Play, Steer, Mark, Admit, Dismiss, Bye]);

// ---- server → client ----

export const Welcome = closed(
  {
    type: Type.Literal('welcome'),
    protocol: Type.Integer({ minimum: 0, maximum: 1000 }),
    participant: ParticipantId,
    role: Role,
    seat: Type.Union([Seat, Type.Null()]),
    colour: Type.Union([Colour, Type.Null()]),
    resume: ResumeToken,
    session: Type.String({ minLength: 1, maxLength: 64 }),
    /** The device numbers its next event at least this (a reloaded device lost its count). */
    nextClientSeq: Seq,
    now: SessionTime,
  },
  'The device is in the room (a therapist at once, a participant resuming an admitted seat).',
);
export const Waiting = closed(
  { type: Type.Literal('waiting'), participant: ParticipantId, resume: ResumeToken },
  'The device waits for the therapist to admit it; it may reconnect with `resume` meanwhile.',
);
export const Admitted = closed(
  {
    type: Type.Literal('admitted'),
    participant: ParticipantId,
    role: Role,
    seat: Type.Union([Seat, Type.Null()]),
    colour: Type.Union([Colour, Type.Null()]),
    session: Type.String({ minLength: 1, maxLength: 64 }),
    nextClientSeq: Seq,
    now: SessionTime,
  },
  'The therapist admitted the waiting device.',
);
export const REFUSALS = [
  'version',
  'unknown-room',
  'bad-key',
  'unknown-resume',
  'too-many-attempts',
  'room-full',
  'dismissed',
  'replaced',
  'room-closed',
  'flood',
  'not-joined',
] as const;
export const Refused = closed(
  { type: Type.Literal('refused'), code: literals(REFUSALS), message: Type.String({ maxLength: 500 }) },
  'The connection is refused or ended; the server closes it after this message.',
);
export const Pong = closed(
  {
    type: Type.Literal('pong'),
    id: Seq,
    t0: Type.Number({ minimum: -1e9, maximum: 1e9 }),
    /** Session time when the server received the ping. */
    t1: SessionTime,
    /** Session time when the server sent the pong. */
    t2: SessionTime,
  },
  'The answer to a ping, for the NTP-style offset estimate.',
);
export const Ack = closed(
  { type: Type.Literal('ack'), clientSeq: Seq, seq: Seq, duplicate: Type.Boolean() },
  'The event with this clientSeq is durable in the session log as `seq`; the device may forget it.',
);
export const Relay = closed(
  { type: Type.Literal('relay'), participant: ParticipantId, clientSeq: Seq, event: PlayedEvent },
  "Another participant's event as it arrived, named by the sender's `clientSeq` (relayed before it is durable).",
);
export const CompanionNote = closed({
  pitch: Midi,
  velocity: Velocity,
  start: SessionTime,
  duration: Duration,
  voice: Voice,
});
export const CompanionNotes = closed(
  { type: Type.Literal('companion'), notes: Type.Array(CompanionNote, { maxItems: 256 }) },
  'Notes the companion will play, sent ahead of their session times.',
);
export const Seated = closed({
  participant: ParticipantId,
  role: Role,
  name: Type.Union([Type.String({ maxLength: 32 }), Type.Null()]),
  seat: Type.Union([Seat, Type.Null()]),
  colour: Type.Union([Colour, Type.Null()]),
  connected: Type.Boolean(),
});
export const WaitingDevice = closed({
  participant: ParticipantId,
  role: Role,
  name: Type.Union([Type.String({ maxLength: 32 }), Type.Null()]),
  device: Type.String({ maxLength: 64 }),
  seat: Type.Union([Seat, Type.Null()]),
  connected: Type.Boolean(),
});
export const RoomState = closed(
  {
    type: Type.Literal('state'),
    participants: Type.Array(Seated, { maxItems: 64 }),
    /** Devices waiting for admission; only the therapist is told of them. */
    waiting: Type.Array(WaitingDevice, { maxItems: 64 }),
    /** The companion's settings, or null when the room has no companion. */
    settings: Type.Union([CompanionSettings, Type.Null()]),
  },
  'Who is in the room, on which seat and colour, and how the companion is set.',
);
export const Perception = closed(
  {
    type: Type.Literal('perception'),
    participant: ParticipantId,
    t: SessionTime,
    pulse: Type.Union([
      closed({
        bpm: Type.Number({ minimum: 0, maximum: 1000 }),
        confidence: Type.Number({ minimum: 0, maximum: 1 }),
      }),
      Type.Null(),
    ]),
    key: Type.Union([
      closed({
        tonic: Type.String({ maxLength: 4 }),
        mode: Type.String({ maxLength: 32 }),
        confidence: Type.Number({ minimum: 0, maximum: 1 }),
      }),
      Type.Null(),
    ]),
    loudness: Type.Number({ minimum: 0, maximum: 127 }),
    density: Type.Number({ minimum: 0, maximum: 1000 }),
    register: Type.Union([Midi, Type.Null()]),
    silent: Type.Boolean(),
  },
  'What the companion hears of one participant, for the therapist console.',
);
export const ERROR_CODES = [
  'malformed',
  'too-large',
  'unknown-type',
  'invalid',
  'not-joined',
  'already-joined',
  'not-admitted',
  'forbidden',
  'rate-limited',
  'not-recorded',
  'unknown-participant',
  'seat-taken',
] as const;
export const MessageRef = closed({
  type: Type.Optional(Type.String({ maxLength: 32 })),
  clientSeq: Type.Optional(Seq),
  id: Type.Optional(Seq),
});
export const ErrorMessage = closed(
  {
    type: Type.Literal('error'),
    code: literals(ERROR_CODES),
    message: Type.String({ maxLength: 500 }),
    /** JSON pointer to the offending field, when one field is to blame. */
    path: Type.Optional(Type.String({ maxLength: 200 })),
    /** What identifies the offending message, as far as it could be read. */
    ref: MessageRef,
  },
  'A message was refused and changed nothing.',
);

/** Every message the server may send. */
export const ServerMessage = Type.Union([
  Welcome,
  Waiting,
  Admitted,
  Refused,
  Pong,
  Ack,
  Relay,
  CompanionNotes,
  RoomState,
  Perception,
  ErrorMessage,
]);

export type PlayedEvent = Static<typeof PlayedEvent>;
export type SteeringControl = Static<typeof SteeringControl>;
export type CompanionSettings = Static<typeof CompanionSettings>;
export type Role = Static<typeof Role>;
export type ClientMessage = Static<typeof ClientMessage>;
export type ServerMessage = Static<typeof ServerMessage>;
export type ClientType = ClientMessage['type'];
export type ServerType = ServerMessage['type'];
export type ClientMessageOf<K extends ClientType> = Extract<ClientMessage, { type: K }>;
export type ServerMessageOf<K extends ServerType> = Extract<ServerMessage, { type: K }>;
export type CompanionNote = Static<typeof CompanionNote>;
export type Seated = Static<typeof Seated>;
export type WaitingDevice = Static<typeof WaitingDevice>;
export type MessageRef = Static<typeof MessageRef>;
export type ErrorCode = (typeof ERROR_CODES)[number];
export type RefusalCode = (typeof REFUSALS)[number];

/** The schema of each client message by type. */
export const CLIENT_SCHEMAS = {
  hello: Hello,
  ping: Ping,
  play: Play,
  steer: Steer,
  mark: Mark,
  admit: Admit,
  dismiss: Dismiss,
  bye: Bye,
} as const satisfies { [K in ClientType]: TSchema };

/** The schema of each server message by type. */
export const SERVER_SCHEMAS = {
  welcome: Welcome,
  waiting: Waiting,
  admitted: Admitted,
  refused: Refused,
  pong: Pong,
  ack: Ack,
  relay: Relay,
  companion: CompanionNotes,
  state: RoomState,
  perception: Perception,
  error: ErrorMessage,
} as const satisfies { [K in ServerType]: TSchema };
