/**
 * `attune render` speed: the instruments package's render benchmark on a generated group
 * session. Ten minutes of music by default; ATTUNE_RENDER_MINUTES=60 measures a whole hour.
 */
import { run as renderSession } from '../packages/instruments/bench/render.bench.ts';

export function run(): Promise<void> {
  const minutes = Number(process.env.ATTUNE_RENDER_MINUTES ?? 10);
  if (!(Number.isFinite(minutes) && minutes > 0)) {
    throw new RangeError(
      `ATTUNE_RENDER_MINUTES must be a positive number, got: ${process.env.ATTUNE_RENDER_MINUTES}`,
    );
  }
  return renderSession(minutes);
}
