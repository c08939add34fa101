import { VOICES } from '@attune/engine';
import { CATALOGUE, sourceKey } from '@attune/instruments';
import { describe, expect, it } from 'vitest';
import { voiceSource } from './voices.ts';

describe('voiceSource', () => {
  it('gives every companion voice a sound, both piano hands the sampled grand', () => {
    for (const voice of VOICES) expect(voiceSource(voice)).toBeDefined();
    expect(voiceSource('piano-left')).toEqual({ kind: 'piano' });
    expect(voiceSource('piano-right')).toEqual({ kind: 'piano' });
  });

  it('uses the catalogue drum kit for percussion and its marimba for mallets', () => {
    const kit = CATALOGUE.find((e) => e.id === 'drums');
    const marimba = CATALOGUE.find((e) => e.id === 'marimba');
    expect(sourceKey(voiceSource('percussion'))).toBe(sourceKey(kit!.source));
    expect(sourceKey(voiceSource('mallets'))).toBe(sourceKey(marimba!.source));
  });
});
