/**
 * A stand-in Web MIDI for the browser tests, installed before the app loads with
 * `addInitScript(fakeMidi, mode)` (Chromium cannot open a real device headless). With a device, the
 * test plays it through `window.__fakeMidi`: each message stamped on the page clock as a browser
 * stamps real MIDI, and the device can be unplugged and plugged back in.
 */

/** One keyboard ('Attune Test Keys'), a browser that refuses MIDI, or one without Web MIDI at all. */
export type FakeMidiMode = 'device' | 'refuse' | 'absent';

declare global {
  interface Window {
    /** The stand-in MIDI device the test plays. */
    __fakeMidi?: {
      /** Sends these bytes from the device, stamped `ageMs` before now. */
      send(bytes: number[], ageMs?: number): void;
      /** Plugs the device in or out. */
      plug(connected: boolean): void;
    };
  }
}

/**
 * Installs the stand-in. It runs in the page, serialised by Playwright, so it uses nothing from
 * this module.
 */
export function fakeMidi(mode: FakeMidiMode): void {
  if (mode === 'absent') {
    Object.defineProperty(Navigator.prototype, 'requestMIDIAccess', { value: undefined, configurable: true });
    return;
  }
  if (mode === 'refuse') {
    Object.defineProperty(Navigator.prototype, 'requestMIDIAccess', {
      value: () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError')),
      configurable: true,
    });
    return;
  }
  class Port extends EventTarget {
    readonly id = 'fake-keys';
    readonly name = 'Test Keys';
    readonly manufacturer = 'Attune';
    readonly type = 'input';
    state: 'connected' | 'disconnected' = 'connected';
  }
  const port = new Port();
  const access = new EventTarget() as EventTarget & { inputs: Map<string, Port> };
  access.inputs = new Map([[port.id, port]]);
  Object.defineProperty(Navigator.prototype, 'requestMIDIAccess', {
    value: () => Promise.resolve(access),
    configurable: true,
  });
  window.__fakeMidi = {
    send(bytes, ageMs = 0) {
      const event = new Event('midimessage');
      Object.defineProperty(event, 'data', { value: new Uint8Array(bytes) });
      Object.defineProperty(event, 'timeStamp', { value: performance.now() - ageMs });
      port.dispatchEvent(event);
    },
    plug(connected) {
      port.state = connected ? 'connected' : 'disconnected';
      if (connected) access.inputs.set(port.id, port);
      else access.inputs.delete(port.id);
      const event = new Event('statechange');
      Object.defineProperty(event, 'port', { value: port });
      access.dispatchEvent(event);
    },
  };
}
