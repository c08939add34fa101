/**
 * Where the app serves its sound files: the Salamander piano recordings and the General MIDI
 * SoundFont, copied from their npm packages into the build (see `build/sounds.ts`) and fetched
 * from Attune itself, never from anywhere else. Plain strings, so the build can share them.
 */

/** The SoundFont's file name as served (FluidR3 Mono, the one the WAV export renders with). */
export const SOUNDFONT_FILE = 'FluidR3Mono_GM.sf3';

/** The folder, relative to the page, that holds the sound files. */
export const SOUNDS_DIR = 'sounds';

/**
 * The served path of a piano recording, by its file name in its npm package.
 * @example pianoPath('C4v8.mp3') // 'sounds/piano/C4v8.mp3'
 */
export function pianoPath(fileName: string): string {
  if (!/^[A-G]#?\d+v\d+\.mp3$/.test(fileName)) {
    throw new RangeError(`piano file names look like C4v8.mp3, got: ${fileName}`);
  }
  return `${SOUNDS_DIR}/piano/${fileName}`;
}

/** The served path of the SoundFont, relative to the page. */
export function soundFontPath(): string {
  return `${SOUNDS_DIR}/${SOUNDFONT_FILE}`;
}
