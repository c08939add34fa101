import { TECHNIQUES } from '@attune/engine/technique';
import { describe, expect, it } from 'vitest';
import { SHORTCUTS, shortcutFor } from './shortcuts.ts';

describe('console shortcuts', () => {
  it('maps one key to each common act, in either case', () => {
    expect(shortcutFor({ key: 'm' })).toEqual({ kind: 'mark' });
    expect(shortcutFor({ key: 'M' })).toEqual({ kind: 'mark' });
    expect(shortcutFor({ key: 's' })).toEqual({ kind: 'start' });
    expect(shortcutFor({ key: 'f' })).toEqual({ kind: 'fade-out' });
    expect(shortcutFor({ key: 'E' })).toEqual({ kind: 'end' });
    expect(shortcutFor({ key: ']' })).toEqual({ kind: 'energy', by: 0.1 });
    expect(shortcutFor({ key: '[' })).toEqual({ kind: 'energy', by: -0.1 });
    expect(shortcutFor({ key: 'h' })).toEqual({ kind: 'tempo-policy', policy: 'hold' });
    expect(shortcutFor({ key: '+' })).toEqual({ kind: 'tempo', by: 4 });
    expect(shortcutFor({ key: '-' })).toEqual({ kind: 'tempo', by: -4 });
  });

  it('numbers the techniques 1 to 9 and 0, as the chips show them', () => {
    expect(TECHNIQUES.length).toBe(10);
    TECHNIQUES.forEach((technique, i) => {
      expect(shortcutFor({ key: String((i + 1) % 10) })).toEqual({ kind: 'technique', technique });
    });
  });

  it('leaves the browser its own shortcuts and ignores held-down repeats', () => {
    expect(shortcutFor({ key: 'm', ctrlKey: true })).toBeNull();
    expect(shortcutFor({ key: 's', metaKey: true })).toBeNull();
    expect(shortcutFor({ key: 'f', altKey: true })).toBeNull();
    expect(shortcutFor({ key: 'm', repeat: true })).toBeNull();
    expect(shortcutFor({ key: 'x' })).toBeNull();
    expect(shortcutFor({ key: 'Enter' })).toBeNull();
  });

  it('lists every shortcut it maps', () => {
    const listed = SHORTCUTS.flatMap((s) => s.keys.split(' '));
    for (const key of ['M', 'S', 'F', 'E', '[', ']', 'W', 'H', 'G', '−', '+']) expect(listed).toContain(key);
  });
});
