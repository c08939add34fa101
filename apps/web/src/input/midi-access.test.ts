import { describe, expect, it } from 'vitest';
import type { MidiAction } from './midi.ts';
import {
  MIDI_PROBLEMS,
  type MidiAccessLike,
  MidiConnection,
  type MidiDevice,
  type MidiInputLike,
  MidiUnavailable,
  requestMidi,
} from './midi-access.ts';

/** A stand-in MIDI input: dispatches `midimessage` events with the bytes and time stamp given. */
class FakeInput extends EventTarget implements MidiInputLike {
  readonly type = 'input';
  state: 'connected' | 'disconnected' = 'connected';
  constructor(
    readonly id: string,
    readonly name: string,
    readonly manufacturer = '',
  ) {
    super();
  }
  send(data: number[], timeStamp: number): void {
    const event = new Event('midimessage');
    Object.defineProperty(event, 'data', { value: new Uint8Array(data) });
    Object.defineProperty(event, 'timeStamp', { value: timeStamp });
    this.dispatchEvent(event);
  }
}

class FakeAccess extends EventTarget implements MidiAccessLike {
  readonly ports = new Map<string, FakeInput>();
  readonly inputs = {
    forEach: (callback: (input: MidiInputLike) => void) => {
      for (const p of this.ports.values()) callback(p);
    },
  };
  plug(input: FakeInput, state: 'connected' | 'disconnected'): void {
    input.state = state;
    if (state === 'connected') this.ports.set(input.id, input);
    else this.ports.delete(input.id);
    const event = new Event('statechange');
    Object.defineProperty(event, 'port', { value: input });
    this.dispatchEvent(event);
  }
}

function connect(access: FakeAccess) {
  const clock = { page: 10_000, audio: 20 };
  const actions: (MidiAction & { device: string })[] = [];
  const lists: MidiDevice[][] = [];
  const connection = new MidiConnection(
    access,
    { pageNow: () => clock.page, audioNow: () => clock.audio },
    (action, device) => actions.push({ ...action, device }),
    (devices) => lists.push([...devices]),
  );
  return { clock, actions, lists, connection };
}

describe('MidiConnection', () => {
  it('stamps each message at its time stamp on the audio clock', () => {
    const access = new FakeAccess();
    const keys = new FakeInput('k1', 'Keystation', 'M-Audio');
    access.plug(keys, 'connected');
    const { actions, lists, connection } = connect(access);
    connection.start();
    expect(lists.at(-1)).toEqual([{ id: 'k1', name: 'M-Audio Keystation' }]);
    keys.send([0x90, 60, 100], 9_990);
    keys.send([0x80, 60, 0], 9_995);
    keys.send([0x99, 36, 120], 10_000);
    keys.send([0xf8], 10_000);
    expect(actions).toEqual([
      { type: 'press', t: 19.99, pitch: 60, velocity: 100, channel: 0, device: 'k1' },
      { type: 'release', t: 19.995, pitch: 60, channel: 0, device: 'k1' },
      { type: 'hit', t: 20, instrument: 36, velocity: 120, channel: 9, device: 'k1' },
    ]);
  });

  it('listens to a device plugged in while playing, and lets its notes go when it is pulled out', () => {
    const access = new FakeAccess();
    const { actions, lists, connection, clock } = connect(access);
    connection.start();
    expect(lists.at(-1)).toEqual([]);
    const pads = new FakeInput('p1', 'Drum pad');
    access.plug(pads, 'connected');
    expect(lists.at(-1)).toEqual([{ id: 'p1', name: 'Drum pad' }]);
    pads.send([0x90, 64, 70], 10_000);
    clock.audio = 21;
    access.plug(pads, 'disconnected');
    expect(lists.at(-1)).toEqual([]);
    expect(actions.map((a) => [a.type, a.t])).toEqual([
      ['press', 20],
      ['release', 21],
    ]);
    // Nothing more is heard from it.
    pads.send([0x90, 65, 70], 10_000);
    expect(actions).toHaveLength(2);
  });

  it('stops listening when stopped, letting held notes go', () => {
    const access = new FakeAccess();
    const keys = new FakeInput('k1', 'Keys');
    access.plug(keys, 'connected');
    const { actions, connection } = connect(access);
    connection.start();
    keys.send([0x90, 60, 100], 10_000);
    connection.stop();
    keys.send([0x90, 62, 100], 10_000);
    access.plug(new FakeInput('k2', 'More keys'), 'connected');
    expect(actions.map((a) => a.type)).toEqual(['press', 'release']);
  });
});

describe('requestMidi', () => {
  it('says when the browser has no Web MIDI, or the page is not secure', async () => {
    await expect(requestMidi({}, true)).rejects.toThrow(MIDI_PROBLEMS.unsupported);
    await expect(requestMidi({}, false)).rejects.toThrow(MIDI_PROBLEMS.insecure);
  });

  it('asks for permission in the site settings when refused', async () => {
    const refuse = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    const error = await requestMidi({ requestMIDIAccess: refuse }, true).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MidiUnavailable);
    expect((error as Error).message).toBe(MIDI_PROBLEMS.denied);
    const broken = () => Promise.reject(new Error('the MIDI service crashed'));
    await expect(requestMidi({ requestMIDIAccess: broken }, true)).rejects.toThrow(
      'MIDI could not be opened: the MIDI service crashed',
    );
  });

  it('asks without SysEx and returns the access', async () => {
    const access = new FakeAccess();
    let asked: unknown = null;
    const got = await requestMidi(
      {
        requestMIDIAccess: (options) => {
          asked = options;
          return Promise.resolve(access);
        },
      },
      true,
    );
    expect(got).toBe(access);
    expect(asked).toEqual({ sysex: false });
  });
});
