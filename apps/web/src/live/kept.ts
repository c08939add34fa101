/**
 * What a device keeps in its own storage so that a reload, a closed tab or a flat battery loses
 * nothing: the seat it holds (its resume token) and every event the server has not yet
 * acknowledged. The page's localStorage in the browser; a Map in tests. The seat is one entry and
 * each event another, so a touch writes only its own few bytes however many wait (a player may
 * play for minutes offline). What is read back is checked like a message from the network: a
 * damaged entry is ignored, never trusted.
 */
import { type ClientMessageOf, checkClientMessage, MAX_SEATS, type Role } from '@attune/protocol';

/** The part of localStorage the device uses. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  key(index: number): string | null;
  readonly length: number;
}

/** An event the device numbers and keeps until it is acknowledged. */
export type KeptEvent = ClientMessageOf<'play'> | ClientMessageOf<'steer'> | ClientMessageOf<'mark'>;

/** How the device joined, so it can join again after its seat lapsed. */
export interface JoinDetails {
  readonly role: Role;
  readonly device: string;
  readonly name?: string;
  readonly seat?: number;
}

/** Everything a device keeps about its place in one room. */
export interface KeptSeat {
  readonly code: string;
  readonly join: JoinDetails;
  readonly resume: string | null;
  readonly participant: string | null;
  /** The session the kept events belong to (they are never sent into another). */
  readonly session: string | null;
  readonly admitted: boolean;
  readonly nextClientSeq: number;
  readonly pending: readonly KeptEvent[];
}

/** The storage key of a room's kept seat. */
export function keptKey(code: string): string {
  return `attune.seat.${code}`;
}

/** The storage key of one kept event of a room. */
export function eventKey(code: string, clientSeq: number): string {
  return `${keptKey(code)}.event.${clientSeq}`;
}

/** The seat without its events, as it is stored. */
export type SeatEntry = Omit<KeptSeat, 'pending'>;

const KEPT_TYPES = new Set(['play', 'steer', 'mark']);
/** A resume token as the protocol shapes it. */
const TOKEN = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * Reads a kept seat from its stored text and its events' texts; null when there is no seat or it
 * is damaged. Events that no longer pass the protocol's checks are left out (they could never be
 * recorded).
 */
export function readKept(text: string | null, code: string, events: readonly string[] = []): KeptSeat | null {
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const join = v.join as Record<string, unknown> | undefined;
  if (v.code !== code || typeof join !== 'object' || join === null) return null;
  if (!['participant', 'speaker', 'therapist'].includes(join.role as string)) return null;
  if (typeof join.device !== 'string' || join.device.length < 1 || join.device.length > 64) return null;
  const name =
    typeof join.name === 'string' && join.name.length >= 1 && join.name.length <= 32 ? join.name : undefined;
  const seat =
    Number.isInteger(join.seat) && (join.seat as number) >= 1 && (join.seat as number) <= MAX_SEATS
      ? (join.seat as number)
      : undefined;
  const resume = typeof v.resume === 'string' && TOKEN.test(v.resume) ? v.resume : null;
  const text64 = (x: unknown) => (typeof x === 'string' && x.length >= 1 && x.length <= 64 ? x : null);
  const next =
    Number.isSafeInteger(v.nextClientSeq) && (v.nextClientSeq as number) >= 0
      ? (v.nextClientSeq as number)
      : 0;
  const pending: KeptEvent[] = [];
  for (const item of events) {
    let event: unknown;
    try {
      event = JSON.parse(item);
    } catch {
      continue;
    }
    const checked = checkClientMessage(event);
    if (checked.ok && KEPT_TYPES.has(checked.message.type)) pending.push(checked.message as KeptEvent);
  }
  pending.sort((a, b) => a.clientSeq - b.clientSeq);
  return {
    code,
    join: {
      role: join.role as Role,
      device: join.device,
      ...(name === undefined ? {} : { name }),
      ...(seat === undefined ? {} : { seat }),
    },
    resume,
    participant: text64(v.participant),
    session: text64(v.session),
    admitted: v.admitted === true,
    nextClientSeq: Math.max(next, (pending.at(-1)?.clientSeq ?? -1) + 1),
    pending,
  };
}

/** Reads and writes one room's kept seat; storage that fails (full, private mode) is reported, not fatal. */
export class SeatKeeper {
  constructor(
    private readonly store: KeyValueStore | null,
    readonly code: string,
    private readonly onProblem: (error: unknown) => void = () => {},
  ) {}

  /** The seat kept for this room, with its events, if any. */
  load(): KeptSeat | null {
    if (!this.store) return null;
    try {
      const store = this.store;
      const events = this.eventKeys().map((key) => store.getItem(key) ?? '');
      return readKept(store.getItem(keptKey(this.code)), this.code, events);
    } catch (error) {
      this.onProblem(error);
      return null;
    }
  }

  /** Keeps the seat (not its events); false when the storage refused it. */
  save(seat: SeatEntry): boolean {
    return this.write(keptKey(this.code), seat);
  }

  /** Keeps one event until it is acknowledged; false when the storage refused it. */
  keep(event: KeptEvent): boolean {
    return this.write(eventKey(this.code, event.clientSeq), event);
  }

  /** Lets go of an acknowledged event. */
  release(clientSeq: number): void {
    this.remove([eventKey(this.code, clientSeq)]);
  }

  /** Forgets the seat and its events (the device left, or the session ended). */
  forget(): void {
    if (!this.store) return;
    this.remove([keptKey(this.code), ...this.eventKeys()]);
  }

  private eventKeys(): string[] {
    const store = this.store;
    if (!store) return [];
    const prefix = `${keptKey(this.code)}.event.`;
    const keys: string[] = [];
    try {
      for (let i = 0; i < store.length; i++) {
        const key = store.key(i);
        if (key?.startsWith(prefix)) keys.push(key);
      }
    } catch (error) {
      this.onProblem(error);
    }
    return keys;
  }

  private write(key: string, value: unknown): boolean {
    if (!this.store) return false;
    try {
      this.store.setItem(key, JSON.stringify(value));
      return true;
    } catch (error) {
      this.onProblem(error);
      return false;
    }
  }

  private remove(keys: readonly string[]): void {
    for (const key of keys) {
      try {
        this.store?.removeItem(key);
      } catch (error) {
        this.onProblem(error);
      }
    }
  }
}

/** A store in memory, for tests and for a page whose localStorage is unavailable. */
export class MemoryStore implements KeyValueStore {
  readonly items = new Map<string, string>();
  get length(): number {
    return this.items.size;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}
