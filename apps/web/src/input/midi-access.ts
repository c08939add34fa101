/**
 * The browser side of MIDI: asking for Web MIDI access with clear words when it cannot be had,
 * listening to every connected input (and to devices plugged in or pulled out while playing),
 * and stamping each message on the audio clock. It takes a MIDIAccess (or anything shaped like
 * one) as an argument, so tests hand it a fake device: Web MIDI cannot be opened headless.
 */
import type { Seconds } from '@attune/engine';
import { type MidiAction, MidiKeyboard, midiAudioTime, parseMidiMessage } from './midi.ts';

/** The parts of a Web MIDI port Attune reads. */
export interface MidiPortLike {
  readonly id: string;
  readonly name?: string | null;
  readonly manufacturer?: string | null;
  readonly type: 'input' | 'output';
  readonly state: 'connected' | 'disconnected';
}

/** A Web MIDI input: a port that sends `midimessage` events. */
export interface MidiInputLike extends MidiPortLike, EventTarget {}

/** The parts of a MIDIAccess Attune uses: its inputs and its `statechange` events. */
export interface MidiAccessLike extends EventTarget {
  readonly inputs: { forEach(callback: (input: MidiInputLike) => void): void };
}

/** A MIDI device as the input panel lists it. */
export interface MidiDevice {
  readonly id: string;
  readonly name: string;
}

/** The two clocks a message's time stamp is converted between. */
export interface MidiClock {
  /** The page clock now (`performance.now()`, ms): Web MIDI's time stamps are on it. */
  pageNow(): number;
  /** The audio clock now (seconds). */
  audioNow(): Seconds;
}

/** Why MIDI cannot be used, in words for the person at the screen. */
export const MIDI_PROBLEMS = {
  unsupported:
    'This browser cannot use MIDI keyboards or drum pads. Chrome or Edge on a computer or an Android tablet can.',
  insecure: 'MIDI needs a secure page: open Attune over https, or on this computer at localhost.',
  denied:
    'MIDI was not allowed. Allow MIDI devices for this site in the browser’s site settings, then switch MIDI on again.',
} as const;

/**
 * The words for a failed `requestMIDIAccess`: a refusal (NotAllowedError or SecurityError) asks
 * for permission in the site settings; anything else says what the browser said.
 */
export function midiProblem(error: unknown): string {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return MIDI_PROBLEMS.denied;
  if (name === 'NotSupportedError') return MIDI_PROBLEMS.unsupported;
  const said = error instanceof Error ? error.message : String(error);
  return `MIDI could not be opened: ${said}`;
}

/** A request for access that failed, with words for the person at the screen. */
export class MidiUnavailable extends Error {
  override readonly name = 'MidiUnavailable';
}

/**
 * Asks the browser for Web MIDI (no SysEx). Rejects with a {@link MidiUnavailable} whose
 * message says what to do when the browser has no Web MIDI, the page is not secure, or the
 * person refused.
 */
export async function requestMidi(
  nav: { requestMIDIAccess?: (options?: { sysex?: boolean }) => Promise<unknown> } = navigator,
  secure: boolean = globalThis.isSecureContext ?? true,
): Promise<MidiAccessLike> {
  if (typeof nav.requestMIDIAccess !== 'function') {
    throw new MidiUnavailable(secure ? MIDI_PROBLEMS.unsupported : MIDI_PROBLEMS.insecure);
  }
  try {
    return (await nav.requestMIDIAccess({ sysex: false })) as MidiAccessLike;
  } catch (error) {
    throw new MidiUnavailable(midiProblem(error));
  }
}

/** Listens to every input of a MIDIAccess and reports what its keys and pedals ask for. */
export class MidiConnection {
  private readonly keyboards = new Map<string, { input: MidiInputLike; keys: MidiKeyboard }>();
  private readonly onMessage = (event: Event): void => this.message(event);
  private readonly onState = (event: Event): void => this.stateChange(event);
  private running = false;

  constructor(
    private readonly access: MidiAccessLike,
    private readonly clock: MidiClock,
    private readonly onAction: (action: MidiAction, device: string) => void,
    private readonly onDevices: (devices: readonly MidiDevice[]) => void = () => {},
  ) {}

  /** Starts listening to the connected inputs and to devices coming and going. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.access.addEventListener('statechange', this.onState);
    this.access.inputs.forEach((input) => {
      if (input.state === 'connected') this.attach(input);
    });
    this.onDevices(this.devices());
  }

  /** Stops listening and lets every sounding note go. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.access.removeEventListener('statechange', this.onState);
    for (const id of [...this.keyboards.keys()]) this.detach(id);
  }

  /** The inputs being listened to. */
  devices(): MidiDevice[] {
    return [...this.keyboards.values()].map(({ input }) => ({
      id: input.id,
      name: [input.manufacturer, input.name].filter(Boolean).join(' ') || 'MIDI device',
    }));
  }

  private attach(input: MidiInputLike): void {
    if (this.keyboards.has(input.id)) return;
    input.addEventListener('midimessage', this.onMessage);
    this.keyboards.set(input.id, { input, keys: new MidiKeyboard() });
  }

  private detach(id: string): void {
    const entry = this.keyboards.get(id);
    if (!entry) return;
    entry.input.removeEventListener('midimessage', this.onMessage);
    this.keyboards.delete(id);
    // A device pulled out mid-note sends no note-off: its notes must not ring on.
    for (const action of entry.keys.releaseAll(this.clock.audioNow())) this.onAction(action, id);
  }

  private message(event: Event): void {
    const input = event.currentTarget as MidiInputLike | null;
    const entry = input ? this.keyboards.get(input.id) : undefined;
    const data = (event as Event & { data?: Uint8Array | null }).data;
    if (!entry || !data) return;
    const parsed = parseMidiMessage(data);
    if (!parsed) return;
    const t = midiAudioTime(event.timeStamp, this.clock.pageNow(), this.clock.audioNow());
    for (const action of entry.keys.take(parsed, t)) this.onAction(action, entry.input.id);
  }

  private stateChange(event: Event): void {
    const port = (event as Event & { port?: MidiPortLike | null }).port;
    if (port?.type !== 'input') return;
    if (port.state === 'connected') this.attach(port as MidiInputLike);
    else this.detach(port.id);
    this.onDevices(this.devices());
  }
}
