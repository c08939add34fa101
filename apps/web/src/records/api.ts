/**
 * The records side of the studio's HTTP API as the records pages use it: clients, groups,
 * assignments, a session's links, a client's export and erasure, therapist accounts and the audit
 * trail (docs/RECORDS.md). Like the console's client it sends the CSRF header on every change and
 * turns refusals into {@link ApiError}s with the studio's code and sentence.
 */
import { browserTransport, StudioApi, send, type Transport, type User } from '../console/api.ts';
import { filenameOf } from '../console/downloads.ts';

/** The consent a client (or their guardian) gave. */
export interface Consent {
  /** Sessions with them may be recorded. */
  readonly recording: boolean;
  /** Their anonymised recordings and measures may be used for research. */
  readonly research: boolean;
  /** Highlights may be shared with their family. */
  readonly family: boolean;
}

/** A client as the list shows them. */
export interface ClientSummary {
  readonly id: string;
  readonly name: string;
  readonly displayName: string;
  readonly birthDate: string;
  readonly consent: Consent;
}

/** A named record another one points to (a therapist, a group). */
export interface Named {
  readonly id: string;
  readonly name: string;
}

/** A session linked to a client, with the lane they played in. */
export interface LinkedSession {
  readonly id: string;
  readonly title: string;
  readonly status: 'open' | 'closed';
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly therapistId: string | null;
  readonly participant: string | null;
  readonly groupId: string | null;
}

/** A client's whole record. */
export interface Client extends ClientSummary {
  readonly notes: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly therapists: Named[];
  readonly groups: Named[];
  readonly sessions: LinkedSession[];
}

/** What a new client is made with (and, each field optional, what a change sends). */
export interface ClientInput {
  readonly name: string;
  readonly birthDate: string;
  readonly displayName: string;
  readonly consent: Consent;
  readonly notes: string;
}

/** A change to a client: only the fields that changed. */
export type ClientChange = Partial<Omit<ClientInput, 'consent'>> & { readonly consent?: Partial<Consent> };

export interface GroupSummary {
  readonly id: string;
  readonly name: string;
  /** How many clients are in it. */
  readonly members: number;
}

export interface Group {
  readonly id: string;
  readonly name: string;
  /** Members by display name only: their records need the client's own assignment. */
  readonly members: { readonly id: string; readonly displayName: string }[];
  readonly therapists: Named[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A session's record: its clients (with lanes), its group and its notes. */
export interface SessionRecord {
  readonly session: Omit<LinkedSession, 'participant' | 'groupId'>;
  readonly clients: {
    readonly id: string;
    readonly displayName: string;
    readonly participant: string | null;
  }[];
  readonly group: Named | null;
  readonly notes: SessionNote[];
}

/** A therapist's note on a session. */
export interface SessionNote {
  readonly id: string;
  readonly sessionId: string;
  /** Null once the author's account is gone. */
  readonly authorId: string | null;
  readonly text: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The longest session note the studio keeps, in characters. */
export const MAX_SESSION_NOTE = 10_000;

/** The links a session is given. */
export interface SessionLinksInput {
  readonly clients: { readonly id: string; readonly participant: string | null }[];
  readonly group: string | null;
}

/** What an erasure did. */
export interface Erasure {
  readonly sessionsDeleted: number;
  readonly sessionsKept: string[];
  readonly lanesPseudonymised: number;
  readonly groupsLeft: number;
}

/** One entry of the audit trail. */
export interface AuditEntry {
  readonly id: string;
  readonly at: string;
  readonly actor: string | null;
  readonly action: string;
  readonly target: string | null;
  readonly address: string | null;
  readonly detail: unknown;
}

/** The audit trail's filters, as the admin sets them. */
export interface AuditFilter {
  readonly client?: string;
  readonly actor?: string;
  readonly action?: string;
  readonly from?: string;
  readonly to?: string;
  readonly limit?: number;
}

/** A file the studio handed over for download. */
export interface Download {
  readonly filename: string;
  readonly blob: Blob;
}

export { filenameOf };

/**
 * The audit trail's query string: empty filters are left out.
 * @example auditQuery({ client: 'a1', action: '' }) // '?client=a1'
 */
export function auditQuery(filter: AuditFilter): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const query = params.toString();
  return query === '' ? '' : `?${query}`;
}

const path = (base: string, id: string, rest = '') => `${base}/${encodeURIComponent(id)}${rest}`;

/** The records API. */
export class RecordsApi {
  private readonly studio: StudioApi;
  constructor(private readonly transport: Transport = browserTransport) {
    this.studio = new StudioApi(transport);
  }

  private send(method: string, url: string, body?: unknown): Promise<Response> {
    return send(this.transport, method, url, body, () => this.studio.state());
  }

  private async json<T>(method: string, url: string, body?: unknown): Promise<T> {
    const response = await this.send(method, url, body);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  // ---- clients ----

  async clients(): Promise<ClientSummary[]> {
    return (await this.json<{ clients: ClientSummary[] }>('GET', '/api/clients')).clients;
  }

  async client(id: string): Promise<Client> {
    return (await this.json<{ client: Client }>('GET', path('/api/clients', id))).client;
  }

  async createClient(input: ClientInput): Promise<Client> {
    return (await this.json<{ client: Client }>('POST', '/api/clients', input)).client;
  }

  async updateClient(id: string, change: ClientChange): Promise<Client> {
    return (await this.json<{ client: Client }>('PATCH', path('/api/clients', id), change)).client;
  }

  /** Sets who is assigned to a client (admin). */
  async assignClient(id: string, therapistIds: readonly string[]): Promise<Client> {
    return (
      await this.json<{ client: Client }>('PUT', path('/api/clients', id, '/therapists'), { therapistIds })
    ).client;
  }

  /** The client's whole record as the studio's JSON export. */
  async exportClient(id: string): Promise<Download> {
    const response = await this.send('GET', path('/api/clients', id, '/export'));
    return {
      filename: filenameOf(response.headers.get('content-disposition'), `attune-client-${id}.json`),
      blob: await response.blob(),
    };
  }

  /** Erases a client on request; `confirm` is their full name exactly as recorded. */
  async eraseClient(id: string, confirm: string): Promise<Erasure> {
    return (await this.json<{ erased: Erasure }>('DELETE', path('/api/clients', id), { confirm })).erased;
  }

  // ---- groups ----

  async groups(): Promise<GroupSummary[]> {
    return (await this.json<{ groups: GroupSummary[] }>('GET', '/api/groups')).groups;
  }

  async group(id: string): Promise<Group> {
    return (await this.json<{ group: Group }>('GET', path('/api/groups', id))).group;
  }

  async createGroup(name: string, clientIds: readonly string[]): Promise<Group> {
    return (await this.json<{ group: Group }>('POST', '/api/groups', { name, clientIds })).group;
  }

  async updateGroup(id: string, change: { name?: string; clientIds?: readonly string[] }): Promise<Group> {
    return (await this.json<{ group: Group }>('PATCH', path('/api/groups', id), change)).group;
  }

  deleteGroup(id: string): Promise<void> {
    return this.json('DELETE', path('/api/groups', id));
  }

  /** Sets who is assigned to a group (admin). */
  async assignGroup(id: string, therapistIds: readonly string[]): Promise<Group> {
    return (
      await this.json<{ group: Group }>('PUT', path('/api/groups', id, '/therapists'), { therapistIds })
    ).group;
  }

  // ---- a session's links ----

  sessionRecord(id: string): Promise<SessionRecord> {
    return this.json('GET', path('/api/sessions', id, '/record'));
  }

  linkSession(id: string, links: SessionLinksInput): Promise<SessionRecord> {
    return this.json('PUT', path('/api/sessions', id, '/links'), links);
  }

  // ---- a session's notes ----

  async addNote(session: string, text: string): Promise<SessionNote> {
    return (
      await this.json<{ note: SessionNote }>('POST', path('/api/sessions', session, '/notes'), { text })
    ).note;
  }

  /** Rewrites a note (its author, or an admin). */
  async editNote(id: string, text: string): Promise<SessionNote> {
    return (await this.json<{ note: SessionNote }>('PATCH', path('/api/notes', id), { text })).note;
  }

  deleteNote(id: string): Promise<void> {
    return this.json('DELETE', path('/api/notes', id));
  }

  // ---- accounts and audit (admin) ----

  async therapists(): Promise<User[]> {
    return (await this.json<{ therapists: User[] }>('GET', '/api/therapists')).therapists;
  }

  async addTherapist(input: {
    name: string;
    email: string;
    password: string;
    role: User['role'];
  }): Promise<User> {
    return (await this.json<{ user: User }>('POST', '/api/therapists', input)).user;
  }

  async audit(filter: AuditFilter): Promise<AuditEntry[]> {
    return (await this.json<{ entries: AuditEntry[] }>('GET', `/api/audit${auditQuery(filter)}`)).entries;
  }
}

/** The records pages' one client. */
export const records = new RecordsApi();
