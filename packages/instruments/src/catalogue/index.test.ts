import { describe, expect, it } from 'vitest';
import { CATALOGUE, catalogueEntry, gmSource, sourceKey } from './index.ts';

describe('catalogue', () => {
  it("lists Attune's instruments with their sounds", () => {
    expect(CATALOGUE.map((e) => e.id)).toContain('piano');
    expect(catalogueEntry('drums').source).toEqual({ kind: 'font', bank: 128, program: 0 });
    expect(catalogueEntry('strings').source).toEqual({ kind: 'font', bank: 0, program: 48 });
    expect(() => catalogueEntry('kazoo')).toThrow(/got: kazoo/);
  });

  it('maps General MIDI channels and programs to sounds', () => {
    expect(gmSource(0, 0)).toEqual({ kind: 'piano' });
    expect(gmSource(5, 3)).toEqual({ kind: 'piano' });
    expect(gmSource(5, 4)).toEqual({ kind: 'font', bank: 0, program: 4 });
    expect(gmSource(9, 0)).toEqual({ kind: 'font', bank: 128, program: 0 });
    expect(gmSource(9, 40)).toEqual({ kind: 'font', bank: 128, program: 40 });
    expect(() => gmSource(16, 0)).toThrow(/got: 16/);
    expect(() => gmSource(0, 128)).toThrow(/got: 128/);
    expect(sourceKey(gmSource(1, 48))).toBe('font:0:48');
  });
});
