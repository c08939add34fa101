/**
 * The page's side of a live session: one AudioContext and its instruments, the connection to the
 * room, and the sound of the room on this device, wired together. A touch sounds at once and is
 * stamped and sent; what the room sends is sounded at its session time. The screens hold one of
 * these and show its status.
 */
import type { Midi, Seconds, Velocity } from '@attune/engine';
import type { SoundSource } from '@attune/instruments';
import { AudioEngine, type LoadProgress } from '../audio/engine.ts';
import type { Hold } from '../solo/session.ts';
import { type JoinRequest, LiveConnection } from './connection.ts';
import type { KeyValueStore } from './kept.ts';
import { browserSocket, socketUrl } from './socket.ts';
import './hook.ts';
import { browserTimeline, LiveSound, type SoundMode } from './sound.ts';

/** How long the room hears a touch whose end is not known when it is sent. */
export const TOUCH_DURATION: Seconds = 0.3;
/** How long the room hears a note the player lets ring. */
export const RING_DURATION: Seconds = 2.5;

/** The page's localStorage, or null where the browser withholds it (some private modes). */
export function pageStore(): KeyValueStore | null {
  try {
    const store = window.localStorage;
    const probe = 'attune.probe';
    store.setItem(probe, '1');
    store.removeItem(probe);
    return store;
  } catch {
    return null;
  }
}

/** The device clock: the page's high-resolution clock, in seconds. */
export const deviceNow = (): Seconds => performance.now() / 1000;

/**
 * A short name for this kind of device, as the therapist sees it in the waiting list.
 * @example deviceKind('Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)') // 'Tablet'
 */
export function deviceKind(userAgent: string): 'Tablet' | 'Phone' | 'Computer' {
  if (/iPad|Tablet|Android(?!.*Mobile)/i.test(userAgent)) return 'Tablet';
  if (/iPhone|Android|Mobile/i.test(userAgent)) return 'Phone';
  return 'Computer';
}

/** One device in a live room. */
export class LiveDevice {
  readonly connection: LiveConnection;
  readonly engine: AudioEngine;
  readonly sound: LiveSound;
  readonly context: AudioContext;
  private readonly stops: Array<() => void> = [];
  private opening: Promise<void> | null = null;

  constructor(join: JoinRequest, mode: SoundMode, store: KeyValueStore | null = pageStore()) {
    // Created inside the player's gesture where there is one, so the audio may start.
    this.context = new AudioContext({ latencyHint: 'interactive' });
    this.engine = new AudioEngine(this.context);
    this.connection = new LiveConnection({
      join,
      connect: browserSocket(socketUrl(location.href)),
      deviceNow,
      store,
    });
    this.sound = new LiveSound(
      this.engine,
      browserTimeline(this.context, deviceNow),
      (t) => this.connection.deviceTime(t),
      join.role === 'speaker' ? 'everyone' : mode,
    );
    this.stops.push(
      this.connection.on('relay', (m) => {
        if (this.engine.ready) this.sound.relay(m);
      }),
      this.connection.on('companion', (m) => {
        if (this.engine.ready) this.sound.companion(m.notes);
      }),
      this.connection.on('state', (m) => {
        if (this.engine.ready && m.settings) this.sound.prepare(m.settings.voices);
      }),
      this.connection.on('problem', (p) => console.warn('live session:', p)),
    );
    // The browser knows before the socket does that the network is back.
    const online = () => this.connection.retryNow();
    window.addEventListener('online', online);
    this.stops.push(() => window.removeEventListener('online', online));
  }

  /** Connects to the room and loads the piano (the connection does not wait for the sound). */
  start(onProgress: (progress: LoadProgress) => void = () => {}): Promise<void> {
    this.connection.start();
    this.opening ??= this.engine.open(onProgress);
    return this.opening;
  }

  /** Lets the audio start (browsers allow it only after a gesture). */
  wake(): void {
    void this.engine.resume();
  }

  /** Chooses the sound of the player's pads and keys. */
  useInstrument(source: SoundSource): Promise<void> {
    return this.sound.useInstrument(source);
  }

  /**
   * The player touched a pad or key at device time `at`: it sounds here at once, and goes to the
   * room stamped with that moment. Returns the id to let it go by.
   */
  strike(pitch: Midi, velocity: Velocity, hold: Hold, at: Seconds = deviceNow()): number {
    this.wake();
    const sent = this.connection.play(
      { type: 'note', pitch, velocity, duration: hold === 'ring' ? RING_DURATION : TOUCH_DURATION },
      at,
    );
    const t = sent?.event.t ?? this.connection.sessionTime(at) ?? 0;
    return this.sound.strike(pitch, velocity, t, hold);
  }

  /** A drum hit (a MIDI drum pad) at device time `at`: sounds here at once and goes to the room. */
  hit(instrument: Midi, velocity: Velocity, at: Seconds = deviceNow()): void {
    this.wake();
    const sent = this.connection.play({ type: 'hit', instrument, velocity }, at);
    this.sound.hit(instrument, velocity, sent?.event.t ?? this.connection.sessionTime(at) ?? 0);
  }

  /** A frame of the player's voice, for the room and the companion (the room hears the voice itself). */
  voice(frame: { pitch: Midi | null; loudness: number; onset: boolean }, at: Seconds): void {
    this.connection.play({ type: 'voice', ...frame }, at);
  }

  /**
   * The device time of a stamp on the AudioContext's clock (MIDI messages and the microphone are
   * stamped there): as long before now as it is before the audio time now.
   */
  deviceTimeOfAudio(audioTime: Seconds): Seconds {
    return deviceNow() - Math.max(0, this.context.currentTime - audioTime);
  }

  /** Lets a held note go. */
  letGo(id: number): void {
    this.sound.letGo(id);
  }

  /** Changes what this device sounds. */
  setMode(mode: SoundMode): void {
    this.sound.mode = mode;
  }

  /** Leaves the room for good (the player chose to). */
  leave(): void {
    this.connection.leave();
    this.close();
  }

  /** Stops everything on this page; the seat and the notes not yet safe stay kept. */
  close(): void {
    for (const stop of this.stops.splice(0)) stop();
    this.connection.close();
    this.sound.close();
    void this.context.close();
  }
}

/** Puts the page's test hook on `window.__attuneLive` for this device and what the screen shows. */
export function exposeLive(
  device: LiveDevice,
  view: { pads(): number[]; lit(): number | null; ready(): boolean },
): void {
  window.__attuneLive = {
    log: device.sound.log,
    status: () => device.connection.status,
    pending: () => device.connection.pending(),
    settings: () => device.connection.state?.settings ?? null,
    pads: view.pads,
    lit: view.lit,
    ready: view.ready,
    audioNow: () => device.context.currentTime,
    sessionNow: () => device.connection.sessionTime(deviceNow()),
    wallOf: (t) => {
      const at = device.connection.deviceTime(t);
      return at === null ? null : (performance.timeOrigin + at * 1000) / 1000;
    },
  };
}
