import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  dataDirArgument,
  grooveBeats,
  keyAt,
  listAsap,
  listGroove,
  listPop909,
  parseAsapAnnotations,
  parseCsv,
  parseKeyLabel,
  parsePop909Beats,
  parsePop909Keys,
  readAsapAnnotations,
  readPop909Beats,
} from './data.ts';

const scratch = mkdtempSync(join(tmpdir(), 'attune-data-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

describe('dataDirArgument', () => {
  it('takes the first argument, else ATTUNE_DATA, and says how to run the script without either', () => {
    expect(dataDirArgument([scratch], 'scripts/x.ts', {})).toBe(scratch);
    expect(dataDirArgument([], 'scripts/x.ts', { ATTUNE_DATA: scratch })).toBe(scratch);
    expect(() => dataDirArgument([], 'scripts/x.ts', {})).toThrow(
      /^usage: node --import tsx scripts\/x.ts DATA_FOLDER/,
    );
    expect(() => dataDirArgument([join(scratch, 'absent')], 'scripts/x.ts', {})).toThrow(
      /data folder not found/,
    );
  });
});

describe('Groove', () => {
  it('puts beat k at k·60/bpm up to the duration, downbeats every bar of n-4', () => {
    const truth = grooveBeats({ bpm: 120, duration: 2, timeSignature: '3-4' });
    expect(truth.beats).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(truth.downbeats).toEqual([0, 1.5]);
    expect(grooveBeats({ bpm: 120, duration: 1, timeSignature: '6-8' }).downbeats).toEqual([]);
  });

  it('lists the pieces of info.csv from the data folder or the groove folder', () => {
    write(
      join(scratch, 'groove', 'info.csv'),
      'drummer,session,id,style,bpm,beat_type,time_signature,midi_filename,audio_filename,duration,split\n' +
        'drummer1,drummer1/session1,drummer1/session1/1,"jazz,funk",80,beat,4-4,drummer1/session1/1.mid,,8.5,train\n',
    );
    const [piece] = listGroove(scratch);
    expect(piece).toMatchObject({ id: 'drummer1/session1/1', style: 'jazz,funk', bpm: 80, duration: 8.5 });
    expect(piece?.midiPath).toBe(join(scratch, 'groove', 'drummer1/session1/1.mid'));
    expect(listGroove(join(scratch, 'groove'))).toHaveLength(1);
  });

  it('says clearly when the data are absent', () => {
    expect(() => listGroove(join(scratch, 'missing'))).toThrow(/data folder not found: .*missing/);
    expect(() => listAsap(scratch)).toThrow(/ASAP data not found/);
    expect(() => listGroove('')).toThrow(/no data folder given/);
  });
});

describe('ASAP', () => {
  it('reads beats, downbeats, metres and key signatures', () => {
    const text = '1.5\t1.5\tdb,3/4,-4\n2\t2\tb\n2.5\t2.5\tbR\n3\t3\tdb,,2\n3.5\t3.5\tb,6/8\n';
    const a = parseAsapAnnotations(text);
    expect(a.beats).toEqual([1.5, 2, 2.5, 3, 3.5]);
    expect(a.downbeats).toEqual([1.5, 3]);
    expect(a.timeSignatures).toEqual([
      { t: 1.5, signature: '3/4' },
      { t: 3.5, signature: '6/8' },
    ]);
    // Four flats: A flat major or F minor. Two sharps: D major or B minor.
    expect(a.keySignatures).toEqual([
      { t: 1.5, accidentals: -4, majorTonicPc: 8, minorTonicPc: 5 },
      { t: 3, accidentals: 2, majorTonicPc: 2, minorTonicPc: 11 },
    ]);
  });

  it('refuses a line it cannot read, naming the line', () => {
    expect(() => parseAsapAnnotations('1\t1\tb\nx\tx\tb\n', 'f.txt')).toThrow(/f.txt line 2: time/);
    expect(() => parseAsapAnnotations('1\t1\tq\n', 'f.txt')).toThrow(/unknown label 'q'/);
  });

  it('lists the performances whose files exist', () => {
    const root = join(scratch, 'asap-beethoven');
    write(
      join(root, 'metadata.csv'),
      'composer,title,folder,midi_performance,performance_annotations\n' +
        'Beethoven,Sonata,B/S,B/S/P01.mid,B/S/P01_annotations.txt\n' +
        'Beethoven,Sonata,B/S,B/S/Gone.mid,B/S/Gone_annotations.txt\n',
    );
    write(join(root, 'B/S/P01.mid'), '');
    write(join(root, 'B/S/P01_annotations.txt'), '5\t5\tdb,4/4,0\n');
    const pieces = listAsap(scratch);
    expect(pieces.map((p) => p.performance)).toEqual(['P01']);
    expect(readAsapAnnotations(pieces[0] as (typeof pieces)[0]).downbeats).toEqual([5]);
  });
});

describe('POP909', () => {
  it('reads beats with bar starts from the third column', () => {
    const b = parsePop909Beats('0.1 1.0 1.0\n0.6 0.0 0.0\n1.1 1.0 0.0\n1.6 0.0 0.0\n2.1 1.0 1.0\n');
    expect(b.beats).toEqual([0.1, 0.6, 1.1, 1.6, 2.1]);
    expect(b.downbeats).toEqual([0.1, 2.1]);
  });

  it('reads key regions and finds the key in force', () => {
    const keys = parsePop909Keys('2.5\t100\tGb:maj\n100\t180\tEb:min\n');
    expect(keys.map((k) => [k.tonicPc, k.mode])).toEqual([
      [6, 'major'],
      [3, 'minor'],
    ]);
    expect(keyAt(keys, 0)?.label).toBe('Gb:maj');
    expect(keyAt(keys, 150)?.label).toBe('Eb:min');
    expect(keyAt([], 1)).toBeNull();
    expect(() => parsePop909Keys('1\t2\tH:maj\n', 'k.txt')).toThrow(/k.txt line 1: not a key label/);
  });

  it('spells key labels as pitch classes', () => {
    expect(parseKeyLabel('C#:min')).toEqual({ tonicPc: 1, mode: 'minor' });
    expect(parseKeyLabel('Cb')).toEqual({ tonicPc: 11, mode: 'major' });
  });

  it('lists song folders with all three files', () => {
    const root = join(scratch, 'pop909', 'POP909');
    write(join(root, '001', '001.mid'), '');
    write(join(root, '001', 'beat_midi.txt'), '0.5 1.0 1.0\n');
    write(join(root, '001', 'key_audio.txt'), '0\t1\tC:maj\n');
    write(join(root, '002', '002.mid'), '');
    const songs = listPop909(scratch);
    expect(songs.map((s) => s.id)).toEqual(['001']);
    expect(readPop909Beats(songs[0] as (typeof songs)[0]).beats).toEqual([0.5]);
  });
});

describe('parseCsv', () => {
  it('handles quotes, doubled quotes and CRLF', () => {
    expect(parseCsv('a,"b,c","d""e"\r\n1,2,3\r\n')).toEqual([
      ['a', 'b,c', 'd"e'],
      ['1', '2', '3'],
    ]);
  });
});
