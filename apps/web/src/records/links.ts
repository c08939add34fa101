/**
 * Linking a session to its clients: the lanes the recording holds (the seats clients played in,
 * `p1`, `p2`, …) and the rows of the form checked and turned into the studio's links body.
 */
import type { SessionLinksInput } from './api.ts';

/** One row of the links form: a client and the lane they played in ('' when not known). */
export interface LinkRow {
  readonly client: string;
  readonly lane: string;
}

/** A lane id as the log names a client's seat. */
const LANE = /^p[1-9][0-9]{0,3}$/;

/**
 * The lanes clients played in, from the session's events, in seat order.
 * @example lanesOf([{ participant: 'p2' }, { participant: 'therapist' }, { participant: 'p1' }]) // ['p1', 'p2']
 */
export function lanesOf(events: readonly { readonly participant: string }[]): string[] {
  const lanes = new Set<string>();
  for (const e of events) if (LANE.test(e.participant)) lanes.add(e.participant);
  return [...lanes].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
}

/**
 * The lane's name in the form: "Seat 1 (p1)".
 * @example laneLabel('p3') // 'Seat 3 (p3)'
 */
export function laneLabel(lane: string): string {
  return LANE.test(lane) ? `Seat ${lane.slice(1)} (${lane})` : lane;
}

/**
 * The links body for these rows and group, or the sentence saying what is wrong: a client listed
 * twice, or two clients in one lane (a lane is one seat, one person).
 */
export function linksInput(
  rows: readonly LinkRow[],
  group: string,
  names: ReadonlyMap<string, string>,
): SessionLinksInput | string {
  const clients = new Set<string>();
  const lanes = new Map<string, string>();
  for (const row of rows) {
    if (row.client === '') continue;
    const name = names.get(row.client) ?? row.client;
    if (clients.has(row.client)) return `${name} is listed twice: list each client once.`;
    clients.add(row.client);
    if (row.lane === '') continue;
    if (!LANE.test(row.lane)) return `${row.lane} is not a seat of the session.`;
    const other = lanes.get(row.lane);
    if (other !== undefined)
      return `${other} and ${name} are both in ${laneLabel(row.lane)}: one seat is one person.`;
    lanes.set(row.lane, name);
  }
  return {
    clients: rows.filter((r) => r.client !== '').map((r) => ({ id: r.client, participant: r.lane || null })),
    group: group === '' ? null : group,
  };
}
