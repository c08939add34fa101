/**
 * Review: a recorded session as a timeline (lanes per participant and companion voice, steering
 * markers, index marks) with time-indexed window queries, and the measures under it (the
 * analysis of `attune analyze`, its curves, and synchrony over time). Pure: the review screen
 * draws it, the replay reads it, the server computes it once per session.
 */
export {
  type LaneHit,
  type LaneNote,
  type LogEntry,
  type LogProblem,
  type ReadLog,
  readLog,
  type SteeringMarker,
  steeringLabel,
  type VoicePoint,
} from './log.ts';
export {
  checkMark,
  DEFAULT_MARK_TAGS,
  MARK_LIMITS,
  type Mark,
  type MarkCheck,
  type MarkProblem,
} from './marks.ts';
export {
  COMPANION_TRACK,
  type ParticipantCurves,
  type ReviewMeasures,
  type ReviewMeasuresOptions,
  type ReviewTrack,
  reviewMeasures,
  reviewTracks,
  type SynchronyCurve,
  type SynchronyCurveOptions,
  type SynchronyWindow,
  synchronyCurves,
} from './measures.ts';
export { companionLane, Replay, type ReplayEvent, type ReplayMix } from './replay.ts';
export {
  type CompactLog,
  type CompactMeasures,
  compactLog,
  compactMeasures,
  expandLog,
  expandMeasures,
  expandSummary,
  type SessionSummary,
  SUMMARY_VERSION,
  summarise,
} from './summary.ts';
export { type Timed, TimeIndex } from './time-index.ts';
export {
  buildTimeline,
  type CompanionLane,
  type ContourPoint,
  type LaneKind,
  type ParticipantLane,
  Timeline,
  type TimelineOptions,
  type TimelineWindow,
  timelineFromLog,
} from './timeline.ts';
export { voiceNotes } from './voice.ts';
