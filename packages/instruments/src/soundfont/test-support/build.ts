/** Builds small SoundFont 2 files in memory for tests, with known presets, zones and samples. */

/** A generator: [id, amount]; ranges are given as [lo, hi]. */
export type Gen = [number, number | [number, number]];

export interface TestSample {
  name: string;
  pcm: Int16Array;
  loopStart: number;
  loopEnd: number;
  sampleRate: number;
  originalPitch: number;
  pitchCorrection?: number;
}

export interface TestFont {
  presets: Array<{ name: string; bank: number; program: number; zones: Gen[][] }>;
  instruments: Array<{ name: string; zones: Gen[][] }>;
  samples: TestSample[];
}

function chunk(id: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + body.length + (body.length & 1));
  for (let i = 0; i < 4; i++) out[i] = id.charCodeAt(i);
  new DataView(out.buffer).setUint32(4, body.length, true);
  out.set(body, 8);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function list(type: string, parts: Uint8Array[]): Uint8Array {
  const typeBytes = new Uint8Array([...type].map((c) => c.charCodeAt(0)));
  return chunk('LIST', concat([typeBytes, ...parts]));
}

function records(
  size: number,
  count: number,
  fill: (view: DataView, at: number, i: number) => void,
): Uint8Array {
  const out = new Uint8Array(size * count);
  const view = new DataView(out.buffer);
  for (let i = 0; i < count; i++) fill(view, i * size, i);
  return out;
}

function name(view: DataView, at: number, text: string): void {
  for (let i = 0; i < Math.min(20, text.length); i++) view.setUint8(at + i, text.charCodeAt(i));
}

function genRecords(zones: Gen[][]): { bags: Uint8Array; gens: Uint8Array } {
  const flat: Gen[] = zones.flat();
  let g = 0;
  const bags = records(4, zones.length + 1, (v, at, i) => {
    v.setUint16(at, g, true);
    v.setUint16(at + 2, 0, true);
    g += zones[i]?.length ?? 0;
  });
  const gens = records(4, flat.length + 1, (v, at, i) => {
    const gen = flat[i];
    if (!gen) return;
    v.setUint16(at, gen[0], true);
    const amount = gen[1];
    if (Array.isArray(amount)) {
      v.setUint8(at + 2, amount[0]);
      v.setUint8(at + 3, amount[1]);
    } else v.setInt16(at + 2, amount, true);
  });
  return { bags, gens };
}

/** The bytes of an SF2 file holding the given presets, instruments and 16-bit samples. */
export function buildSoundFont(font: TestFont): Uint8Array {
  const starts: number[] = [];
  let frames = 0;
  for (const s of font.samples) {
    starts.push(frames);
    frames += s.pcm.length + 46; // the specification's 46 zero frames after each sample
  }
  const smpl = new Int16Array(frames);
  font.samples.forEach((s, i) => {
    smpl.set(s.pcm, starts[i]);
  });
  const presetZones = genRecords(font.presets.flatMap((p) => p.zones));
  const instZones = genRecords(font.instruments.flatMap((p) => p.zones));
  let bag = 0;
  const phdr = records(38, font.presets.length + 1, (v, at, i) => {
    const p = font.presets[i];
    name(v, at, p?.name ?? 'EOP');
    v.setUint16(at + 20, p?.program ?? 0, true);
    v.setUint16(at + 22, p?.bank ?? 0, true);
    v.setUint16(at + 24, bag, true);
    bag += p?.zones.length ?? 0;
  });
  bag = 0;
  const inst = records(22, font.instruments.length + 1, (v, at, i) => {
    const p = font.instruments[i];
    name(v, at, p?.name ?? 'EOI');
    v.setUint16(at + 20, bag, true);
    bag += p?.zones.length ?? 0;
  });
  const shdr = records(46, font.samples.length + 1, (v, at, i) => {
    const s = font.samples[i];
    name(v, at, s?.name ?? 'EOS');
    if (!s) return;
    const start = starts[i]!;
    v.setUint32(at + 20, start, true);
    v.setUint32(at + 24, start + s.pcm.length, true);
    v.setUint32(at + 28, start + s.loopStart, true);
    v.setUint32(at + 32, start + s.loopEnd, true);
    v.setUint32(at + 36, s.sampleRate, true);
    v.setUint8(at + 40, s.originalPitch);
    v.setInt8(at + 41, s.pitchCorrection ?? 0);
    v.setUint16(at + 44, 1, true);
  });
  const inam = new TextEncoder().encode('Test Font\u0000');
  const body = concat([
    new Uint8Array([...'sfbk'].map((c) => c.charCodeAt(0))),
    list('INFO', [chunk('INAM', inam)]),
    list('sdta', [chunk('smpl', new Uint8Array(smpl.buffer))]),
    list('pdta', [
      chunk('phdr', phdr),
      chunk('pbag', presetZones.bags),
      chunk('pmod', new Uint8Array(10)),
      chunk('pgen', presetZones.gens),
      chunk('inst', inst),
      chunk('ibag', instZones.bags),
      chunk('imod', new Uint8Array(10)),
      chunk('igen', instZones.gens),
      chunk('shdr', shdr),
    ]),
  ]);
  return chunk('RIFF', body);
}
