/**
 * Ground truth of the development data sets, for evaluation scripts: Groove MIDI (drums to a
 * click), ASAP Beethoven (annotated piano performances) and POP909 (pop piano arrangements).
 * Every function takes the data folder (the one that holds `groove/`, `asap-beethoven/` and
 * `pop909/`, or the data set's own folder) and throws a one-line reason when it is absent.
 * The data are never part of the project; nothing here is used by the project's tests.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Annotated beats and downbeats, in seconds from the start of the MIDI file. */
export interface BeatTruth {
  beats: number[];
  downbeats: number[];
}

/**
 * The data folder an evaluation script was given: its first argument, else `ATTUNE_DATA`.
 * Throws a usage line naming the script when there is neither, or when the folder is absent.
 * @example const dataDir = dataDirArgument(process.argv.slice(2), 'scripts/eval-pulse.ts');
 */
export function dataDirArgument(args: readonly string[], script: string, env = process.env): string {
  const dir = args[0] ?? env.ATTUNE_DATA;
  if (!dir) {
    throw new Error(
      `usage: node --import tsx ${script} DATA_FOLDER (the folder holding groove/, asap-beethoven/, pop909/)`,
    );
  }
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`data folder not found: ${dir}`);
  return dir;
}

/** Which data set a folder is, what it is called inside the data folder and a file it must hold. */
interface DatasetLayout {
  name: string;
  folder: string;
  marker: string;
}

const GROOVE: DatasetLayout = { name: 'Groove MIDI', folder: 'groove', marker: 'info.csv' };
const ASAP: DatasetLayout = { name: 'ASAP', folder: 'asap-beethoven', marker: 'metadata.csv' };
const POP909: DatasetLayout = { name: 'POP909', folder: 'pop909', marker: 'POP909' };

/** The folder of one data set inside `dataDir` (or `dataDir` itself when it is that folder). */
function datasetRoot(dataDir: string, layout: DatasetLayout): string {
  if (!dataDir) throw new Error(`no data folder given: pass the folder that holds ${layout.folder}/`);
  if (!existsSync(dataDir)) throw new Error(`data folder not found: ${dataDir}`);
  if (existsSync(join(dataDir, layout.marker))) return dataDir;
  const root = join(dataDir, layout.folder);
  if (existsSync(join(root, layout.marker))) return root;
  throw new Error(`${layout.name} data not found: neither ${dataDir} nor ${root} holds ${layout.marker}`);
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new Error(`cannot read ${what}: ${path}`);
  }
}

/** Splits CSV text into rows of fields (quoted fields with commas and doubled quotes allowed). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  row.push(field);
  if (row.length > 1 || row[0] !== '') rows.push(row);
  return rows;
}

/** CSV rows as records keyed by the header row. */
function csvRecords(text: string, path: string, required: readonly string[]): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error(`empty CSV file: ${path}`);
  for (const column of required) {
    if (!header.includes(column)) throw new Error(`${path} has no '${column}' column`);
  }
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ''])));
}

function number(text: string | undefined, what: string): number {
  const value = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(value)) {
    throw new Error(`${what} is not a number: '${text ?? ''}'`);
  }
  return value;
}

// ---------------------------------------------------------------- Groove MIDI

/** One Groove MIDI performance, as `info.csv` lists it. */
export interface GroovePiece {
  /** e.g. 'drummer1/session1/1'. */
  id: string;
  drummer: string;
  style: string;
  /** The click's tempo. */
  bpm: number;
  /** 'beat' for a groove, 'fill' for a short fill. */
  beatType: string;
  /** e.g. '4-4', '6-8'. */
  timeSignature: string;
  split: string;
  /** Length of the recording in seconds. */
  duration: number;
  /** Absolute path of the MIDI file. */
  midiPath: string;
}

/** Every Groove MIDI performance listed in `info.csv`. */
export function listGroove(dataDir: string): GroovePiece[] {
  const root = datasetRoot(dataDir, GROOVE);
  const path = join(root, GROOVE.marker);
  const columns = [
    'id',
    'drummer',
    'style',
    'bpm',
    'beat_type',
    'time_signature',
    'midi_filename',
    'duration',
    'split',
  ];
  return csvRecords(readText(path, 'Groove index'), path, columns).map((r) => ({
    id: r.id as string,
    drummer: r.drummer as string,
    style: r.style as string,
    bpm: number(r.bpm, `bpm of ${r.id}`),
    beatType: r.beat_type as string,
    timeSignature: r.time_signature as string,
    split: r.split as string,
    duration: number(r.duration, `duration of ${r.id}`),
    midiPath: join(root, r.midi_filename as string),
  }));
}

/**
 * The click of a Groove performance: beat k at k·60/bpm from the start, up to its duration;
 * downbeats every n beats for an n-4 metre (for other metres the beat unit is unclear, so none).
 */
export function grooveBeats(piece: Pick<GroovePiece, 'bpm' | 'duration' | 'timeSignature'>): BeatTruth {
  const period = 60 / piece.bpm;
  const [numerator, denominator] = piece.timeSignature.split('-').map(Number);
  const perBar = denominator === 4 && numerator && numerator > 0 ? numerator : 0;
  const beats: number[] = [];
  const downbeats: number[] = [];
  // A beat within a microsecond of the end still belongs to the recording.
  for (let k = 0; k * period <= piece.duration + 1e-6; k++) {
    beats.push(k * period);
    if (perBar > 0 && k % perBar === 0) downbeats.push(k * period);
  }
  return { beats, downbeats };
}

// ---------------------------------------------------------------- ASAP

/** One ASAP performance, as `metadata.csv` lists it. */
export interface AsapPiece {
  /** e.g. 'Piano_Sonatas_1-1'. */
  title: string;
  /** The score's folder, e.g. 'Beethoven/Piano_Sonatas/1-1'. */
  folder: string;
  /** Performance name, e.g. 'KimG01'. */
  performance: string;
  midiPath: string;
  annotationsPath: string;
}

/** A key-signature change: the number of sharps (positive) or flats (negative). */
export interface KeySignatureChange {
  t: number;
  accidentals: number;
  /** Tonic pitch class of the major key with this signature (C = 0). */
  majorTonicPc: number;
  /** Tonic pitch class of the relative minor. */
  minorTonicPc: number;
}

/** Everything an ASAP annotation file says about a performance. */
export interface AsapAnnotations extends BeatTruth {
  timeSignatures: Array<{ t: number; signature: string }>;
  keySignatures: KeySignatureChange[];
}

/** Every ASAP performance listed in `metadata.csv` whose MIDI and annotation files exist. */
export function listAsap(dataDir: string): AsapPiece[] {
  const root = datasetRoot(dataDir, ASAP);
  const path = join(root, ASAP.marker);
  const columns = ['title', 'folder', 'midi_performance', 'performance_annotations'];
  return csvRecords(readText(path, 'ASAP index'), path, columns)
    .filter((r) => r.midi_performance && r.performance_annotations)
    .map((r) => {
      const midi = r.midi_performance as string;
      return {
        title: r.title as string,
        folder: r.folder as string,
        performance: (midi.split('/').pop() ?? midi).replace(/\.midi?$/i, ''),
        midiPath: join(root, midi),
        annotationsPath: join(root, r.performance_annotations as string),
      };
    })
    .filter((p) => existsSync(p.midiPath) && existsSync(p.annotationsPath));
}

/** Reads an ASAP performance's annotations (`*_annotations.txt`). */
export function readAsapAnnotations(piece: Pick<AsapPiece, 'annotationsPath'>): AsapAnnotations {
  const path = piece.annotationsPath;
  return parseAsapAnnotations(readText(path, 'ASAP annotations'), path);
}

/**
 * Parses ASAP annotation text: lines `time<TAB>time<TAB>label`, the label `b` (beat), `db`
 * (downbeat) or `bR` (beat in an irregular bar), optionally followed by `,metre,keySignature`
 * where either may be empty.
 */
export function parseAsapAnnotations(text: string, source = 'annotations'): AsapAnnotations {
  const result: AsapAnnotations = { beats: [], downbeats: [], timeSignatures: [], keySignatures: [] };
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const [time, , label = ''] = line.split('\t');
    const t = number(time, `${source} line ${index + 1}: time`);
    const [kind, metre, key] = label.split(',');
    if (kind !== 'b' && kind !== 'db' && kind !== 'bR') {
      throw new Error(`${source} line ${index + 1}: unknown label '${label}'`);
    }
    result.beats.push(t);
    if (kind === 'db') result.downbeats.push(t);
    if (metre) result.timeSignatures.push({ t, signature: metre });
    if (key !== undefined && key.trim() !== '') {
      const accidentals = number(key, `${source} line ${index + 1}: key signature`);
      // Each sharp moves the major tonic a fifth up, each flat a fifth down.
      const majorTonicPc = (((accidentals * 7) % 12) + 12) % 12;
      result.keySignatures.push({ t, accidentals, majorTonicPc, minorTonicPc: (majorTonicPc + 9) % 12 });
    }
  });
  return result;
}

// ---------------------------------------------------------------- POP909

/** One POP909 song folder. */
export interface Pop909Song {
  /** e.g. '001'. */
  id: string;
  midiPath: string;
  beatsPath: string;
  keysPath: string;
}

/** A key region of a POP909 song. */
export interface KeyRegion {
  start: number;
  end: number;
  tonicPc: number;
  mode: 'major' | 'minor';
  /** As written in the file, e.g. 'Gb:maj'. */
  label: string;
}

/** Every POP909 song folder that has its MIDI file, beats and keys. */
export function listPop909(dataDir: string): Pop909Song[] {
  const root = join(datasetRoot(dataDir, POP909), POP909.marker);
  return readdirSync(root)
    .filter((id) => /^\d+$/.test(id) && statSync(join(root, id)).isDirectory())
    .sort()
    .map((id) => ({
      id,
      midiPath: join(root, id, `${id}.mid`),
      beatsPath: join(root, id, 'beat_midi.txt'),
      keysPath: join(root, id, 'key_audio.txt'),
    }))
    .filter((s) => existsSync(s.midiPath) && existsSync(s.beatsPath) && existsSync(s.keysPath));
}

/** Reads a POP909 song's beats (`beat_midi.txt`). */
export function readPop909Beats(song: Pick<Pop909Song, 'beatsPath'>): BeatTruth {
  return parsePop909Beats(readText(song.beatsPath, 'POP909 beats'), song.beatsPath);
}

/**
 * Parses POP909 `beat_midi.txt`: lines `time a b`, where `a` marks every second beat and `b`
 * marks bar starts counted in 4/4; downbeats are the lines with `b` = 1.
 */
export function parsePop909Beats(text: string, source = 'beats'): BeatTruth {
  const result: BeatTruth = { beats: [], downbeats: [] };
  text.split(/\r?\n/).forEach((line, index) => {
    const fields = line.trim().split(/\s+/);
    if (fields[0] === '') return;
    const t = number(fields[0], `${source} line ${index + 1}: time`);
    result.beats.push(t);
    if (fields[2] !== undefined && number(fields[2], `${source} line ${index + 1}: downbeat flag`) === 1) {
      result.downbeats.push(t);
    }
  });
  return result;
}

/** Reads a POP909 song's key regions (`key_audio.txt`). */
export function readPop909Keys(song: Pick<Pop909Song, 'keysPath'>): KeyRegion[] {
  return parsePop909Keys(readText(song.keysPath, 'POP909 keys'), song.keysPath);
}

const NATURAL_PC: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

/**
 * The pitch class and mode of a key label such as 'Gb:maj', 'F#:min' or 'C' (major).
 * @example parseKeyLabel('Gb:maj') // { tonicPc: 6, mode: 'major' }
 */
export function parseKeyLabel(label: string): { tonicPc: number; mode: 'major' | 'minor' } {
  const match = /^([A-Ga-g])([#b]*)(?::(maj|min|major|minor))?$/.exec(label.trim());
  if (!match) throw new Error(`not a key label: '${label}'`);
  const [, letter = 'C', accidentals = '', mode = 'maj'] = match;
  let pc = NATURAL_PC[letter.toUpperCase()] as number;
  for (const a of accidentals) pc += a === '#' ? 1 : -1;
  return { tonicPc: ((pc % 12) + 12) % 12, mode: mode.startsWith('min') ? 'minor' : 'major' };
}

/** Parses POP909 `key_audio.txt`: lines `start<TAB>end<TAB>key`. */
export function parsePop909Keys(text: string, source = 'keys'): KeyRegion[] {
  const regions: KeyRegion[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const [start, end, label = ''] = line.trim().split(/\s+/);
    const where = `${source} line ${index + 1}`;
    let key: { tonicPc: number; mode: 'major' | 'minor' };
    try {
      key = parseKeyLabel(label);
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`);
    }
    regions.push({
      start: number(start, `${where}: start`),
      end: number(end, `${where}: end`),
      ...key,
      label,
    });
  });
  return regions;
}

/** The key in force at time `t` (the region containing it, else the nearest one), or null. */
export function keyAt(regions: readonly KeyRegion[], t: number): KeyRegion | null {
  let best: KeyRegion | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const r of regions) {
    const distance = t < r.start ? r.start - t : t > r.end ? t - r.end : 0;
    if (distance < bestDistance) {
      best = r;
      bestDistance = distance;
    }
  }
  return best;
}
