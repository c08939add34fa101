/**
 * One valid example of every message, as docs/PROTOCOL.md shows them. Tests check that each passes
 * its schema and survives the trip through text unchanged.
 */
import type { ClientMessageOf, ClientType, ServerMessageOf, ServerType } from './messages.ts';

/** An example of each client message. */
export const CLIENT_EXAMPLES: { readonly [K in ClientType]: ClientMessageOf<K> } = {
  hello: {
    type: 'hello',
    protocol: 1,
    role: 'participant',
    room: 'K7QP2M',
    device: 'Tablet by the window',
    name: 'JB',
    seat: 2,
  },
  ping: { type: 'ping', id: 17, t0: 1234.5678 },
  play: {
    type: 'play',
    clientSeq: 41,
    event: { type: 'note', t: 62.481, pitch: 64, velocity: 88, duration: 0.35 },
  },
  steer: {
    type: 'steer',
    clientSeq: 7,
    t: 63.2,
    control: { type: 'techniques', techniques: ['ground', 'match'] },
  },
  mark: {
    type: 'mark',
    clientSeq: 8,
    t: 95.04,
    note: 'first shared pulse',
    tags: ['synchrony', 'turn-taking'],
  },
  admit: { type: 'admit', participant: 'p3', seat: 3 },
  dismiss: { type: 'dismiss', participant: 'p4' },
  bye: { type: 'bye' },
};

/** An example of each server message. */
export const SERVER_EXAMPLES: { readonly [K in ServerType]: ServerMessageOf<K> } = {
  welcome: {
    type: 'welcome',
    protocol: 1,
    participant: 'therapist',
    role: 'therapist',
    seat: 0,
    colour: '#1f77b4',
    resume: 'r8Hq2xVw0aLmN3pZ5tYc7e',
    session: 'a3f0c2d4-session',
    nextClientSeq: 0,
    now: 12.5,
  },
  waiting: { type: 'waiting', participant: 'p3', resume: 'Qm4sT9vX2bK7nR1wE5yU0a' },
  admitted: {
    type: 'admitted',
    participant: 'p3',
    role: 'participant',
    seat: 3,
    colour: '#009e73',
    session: 'a3f0c2d4-session',
    nextClientSeq: 0,
    now: 20.25,
  },
  refused: {
    type: 'refused',
    code: 'version',
    message: 'this server speaks protocol 1, the device spoke 2: reload the page',
  },
  pong: { type: 'pong', id: 17, t0: 1234.5678, t1: 40.012, t2: 40.0121 },
  ack: { type: 'ack', clientSeq: 41, seq: 1093, duplicate: false },
  relay: {
    type: 'relay',
    participant: 'p3',
    clientSeq: 41,
    event: { type: 'hit', t: 62.481, instrument: 38, velocity: 100 },
  },
  companion: {
    type: 'companion',
    notes: [
      { pitch: 48, velocity: 70, start: 62.6, duration: 0.9, voice: 'piano-left' },
      { pitch: 67, velocity: 64, start: 62.6, duration: 0.45, voice: 'piano-right' },
    ],
  },
  state: {
    type: 'state',
    participants: [
      {
        participant: 'therapist',
        role: 'therapist',
        name: null,
        seat: 0,
        colour: '#1f77b4',
        connected: true,
      },
      { participant: 'p1', role: 'participant', name: 'JB', seat: 2, colour: '#56b4e9', connected: false },
    ],
    waiting: [
      {
        participant: 'p3',
        role: 'participant',
        name: 'AM',
        device: 'Blue tablet',
        seat: null,
        connected: true,
      },
    ],
    settings: {
      idiom: 'auto',
      key: 'auto',
      techniques: ['synchronise', 'match'],
      tempo: { kind: 'follow' },
      energy: 0.5,
      register: null,
      voices: ['piano-left', 'piano-right'],
      beatsPerBar: 4,
      startTempo: 90,
      autoStart: true,
    },
  },
  perception: {
    type: 'perception',
    participant: 'p1',
    t: 64,
    pulse: { bpm: 96.4, confidence: 0.72 },
    key: { tonic: 'D', mode: 'dorian', confidence: 0.55 },
    loudness: 81,
    density: 2.4,
    register: 62,
    silent: false,
  },
  error: {
    type: 'error',
    code: 'forbidden',
    message: 'only the therapist steers the companion',
    ref: { type: 'steer', clientSeq: 12 },
  },
};
