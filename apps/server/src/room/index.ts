/**
 * Live rooms, independent of the server that hosts them: a directory that routes each device's
 * hello to its room, rooms that admit, relay, record and run the companion, and the minimal
 * socket and scheduler they need, with in-memory versions for tests.
 */
export {
  CLOSE_GOING_AWAY,
  CLOSE_NORMAL,
  CLOSE_POLICY,
  Connection,
  type ConnectionLimits,
  DEFAULT_LIMITS,
} from './connection.ts';
export {
  CODE_ALPHABET,
  CODE_LENGTH,
  DEFAULT_GUESS_LIMIT,
  type DirectoryOptions,
  type GuessLimit,
  RoomDirectory,
  type RoomSetup,
} from './directory.ts';
export { CompanionHost, type CompanionSetup, Listener } from './host.ts';
export {
  type Continuation,
  continuation,
  type MemberView,
  Roster,
  THERAPIST,
} from './members.ts';
export { TokenBucket } from './rate.ts';
export { type LogWriter, Recorder } from './recorder.ts';
export { type JoinOutcome, Room, type RoomOptions } from './room.ts';
export { ManualScheduler, realScheduler, type Scheduler } from './scheduler.ts';
export { type DeviceSocket, type RoomSocket, socketPair } from './socket.ts';
