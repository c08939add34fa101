/**
 * The span selected on the review timeline, for the panels beside it (sharing a clip with the
 * family, exporting a stretch): set while the therapist has dragged across the timeline, or has
 * chosen a mark over a span; null otherwise. Times are seconds on the session clock.
 *
 * @example
 * import { selectedSpan } from '../review/selection.ts';
 * $selectedSpan // { from: 62.5, to: 80 } in a component, or null
 */
import { writable } from 'svelte/store';

/** A stretch of the session, in seconds on the session clock. */
export interface Span {
  readonly from: number;
  readonly to: number;
}

/** The span selected on the review timeline, or null. */
export const selectedSpan = writable<Span | null>(null);
