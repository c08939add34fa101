/**
 * What the review page exposes on `window.__attuneReview`, so browser tests can see what is drawn
 * and what replay handed to the audio engine without reading pixels or listening.
 */
import type { Mark } from '@attune/engine';
import type { Scheduled } from './player.ts';
import type { Span } from './selection.ts';
import type { View } from './view.ts';

export interface ReviewHook {
  /** Whether the log is read and the timeline drawn. */
  ready(): boolean;
  view(): View;
  playhead(): number;
  playing(): boolean;
  /** The lanes' ids, top to bottom. */
  lanes(): string[];
  /** Notes, hits and voice frames drawn in the view, per lane. */
  drawn(): Record<string, number>;
  marks(): Mark[];
  /** Whether the measure curves are in. */
  measured(): boolean;
  scheduled(): Scheduled[];
  /** The span other panels read as selected ({@link selectedSpan}). */
  span(): Span | null;
}

declare global {
  interface Window {
    __attuneReview?: ReviewHook;
  }
}
