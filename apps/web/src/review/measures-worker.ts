/**
 * The measures under the review timeline, worked out off the page's thread: an hour's analysis
 * takes seconds (docs/ASSESSMENT.md), so the timeline is drawn and plays at once and the curves
 * come in when ready. Gets the log's entries, answers with the curves (or a sentence on failure).
 */
import { buildTimeline, type LogEntry, reviewMeasures } from '@attune/engine';
import type { MeasuresAnswer } from './measures.ts';

self.onmessage = (event: MessageEvent<{ entries: LogEntry[] }>) => {
  let answer: MeasuresAnswer;
  try {
    const m = reviewMeasures(buildTimeline(event.data.entries));
    answer = { ok: true, curves: m.curves.map((c) => ({ ...c })) };
  } catch (error) {
    answer = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  (self as unknown as Worker).postMessage(answer);
};
