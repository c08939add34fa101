/**
 * The companion's voices and the textures each can play. Kept apart from the texture functions
 * so that idioms can name their suitable textures without depending on how they are played.
 */

/** A voice of the companion, each sounded by its own instrument. */
export type Voice = 'piano-left' | 'piano-right' | 'bass' | 'mallets' | 'percussion' | 'pad';

/** Every voice, in the order the companion's settings list them. */
export const VOICES = [
  'piano-left',
  'piano-right',
  'bass',
  'mallets',
  'percussion',
  'pad',
] as const satisfies readonly Voice[];

/** The textures each voice can play. */
export const TEXTURE_STYLES = {
  bass: ['root', 'root-fifth', 'walking', 'drone'],
  'piano-left': ['block', 'broken', 'alberti', 'chorale', 'tremolo'],
  'piano-right': ['block', 'broken', 'arpeggio', 'alberti', 'chorale', 'tremolo'],
  mallets: ['ostinato', 'arpeggio', 'tremolo'],
  percussion: ['heartbeat', 'steady', 'drive'],
  pad: ['sustain', 'tremolo'],
} as const satisfies Record<Voice, readonly string[]>;

/** A texture one voice can play, e.g. `TextureStyle<'bass'>` is 'root' | 'root-fifth' | … */
export type TextureStyle<V extends Voice = Voice> = (typeof TEXTURE_STYLES)[V][number];

/** Whether a string names a voice. */
export function isVoice(name: string): name is Voice {
  return Object.hasOwn(TEXTURE_STYLES, name);
}

/** Whether a style is one the voice can play. */
export function isStyleOf<V extends Voice>(voice: V, style: string): style is TextureStyle<V> {
  return (TEXTURE_STYLES[voice] as readonly string[]).includes(style);
}
