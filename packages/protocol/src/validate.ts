/**
 * Checking messages at the boundary. A message is measured before it is parsed, parsed, dispatched
 * on its `type`, and checked against that type's schema; the answer is either the typed message
 * or one clear issue: a code, the JSON pointer of the field to blame and the reason, with whatever
 * identifies the message (its type, clientSeq or ping id) so the sender can match the error to it.
 */
import { type TSchema, ValueGuard } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import {
  CLIENT_SCHEMAS,
  type ClientMessage,
  type ClientMessageOf,
  type ClientType,
  MAX_CLIENT_MESSAGE_BYTES,
  MAX_SERVER_MESSAGE_BYTES,
  type MessageRef,
  SERVER_SCHEMAS,
  type ServerMessage,
  type ServerMessageOf,
  type ServerType,
} from './messages.ts';

/** Why a message was refused. */
export interface ProtocolIssue {
  readonly code: 'malformed' | 'too-large' | 'unknown-type' | 'invalid';
  /** JSON pointer to the field to blame ('' for the whole message). */
  readonly path: string;
  readonly reason: string;
  readonly ref: MessageRef;
}

/** A checked message or the reason it was refused. */
export type Checked<T> =
  | { readonly ok: true; readonly message: T }
  | { readonly ok: false; readonly issue: ProtocolIssue };

/**
 * The UTF-8 length of a string in bytes (what the socket carried).
 * @example utf8Length('é') // 2
 */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** Whether a text is over `maxBytes` in UTF-8, without encoding it when its length settles it. */
function tooLarge(text: string, maxBytes: number): number | null {
  if (text.length > maxBytes) return text.length;
  if (text.length * 3 <= maxBytes) return null;
  const bytes = utf8Length(text);
  return bytes > maxBytes ? bytes : null;
}

/** What identifies a message, read as far as the value allows. */
export function refOf(value: unknown): MessageRef {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const v = value as Record<string, unknown>;
  const ref: { type?: string; clientSeq?: number; id?: number } = {};
  if (typeof v.type === 'string' && v.type.length <= 32) ref.type = v.type;
  if (isSeq(v.clientSeq)) ref.clientSeq = v.clientSeq;
  if (isSeq(v.id)) ref.id = v.id;
  return ref;
}

function isSeq(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0 && x <= 2_147_483_647;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** A member of a tagged union: an object schema whose `type` (or `kind`) is a literal. */
function tagOf(schema: TSchema): { field: string; value: string } | null {
  const props = (schema as { properties?: Record<string, { const?: unknown }> }).properties;
  if (!props) return null;
  for (const field of ['type', 'kind']) {
    const tag = props[field]?.const;
    if (typeof tag === 'string') return { field, value: tag };
  }
  return null;
}

/**
 * The first thing wrong with `value` against `schema`, at `base` + its pointer, or null. A
 * tagged union is explained through the member its tag names, so a bad pitch reads as a bad pitch
 * rather than "matches no member".
 */
function firstIssue(schema: TSchema, value: unknown, base: string): { path: string; reason: string } | null {
  const first = Value.Errors(schema, value).First();
  if (!first) return null;
  const path = base + first.path;
  if (first.value === undefined) return { path, reason: 'is required' };
  const failing = first.schema as TSchema;
  const members = (failing as { anyOf?: TSchema[] }).anyOf;
  if (members) {
    const tagged = members.map(tagOf);
    const field = tagged.find((t) => t !== null)?.field;
    if (field && ValueGuard.IsObject(first.value) && !Array.isArray(first.value)) {
      const tag = (first.value as Record<string, unknown>)[field];
      const index = tagged.findIndex((t) => t?.value === tag);
      if (index >= 0) return firstIssue(members[index] as TSchema, first.value, path);
      const known = tagged.filter((t) => t !== null).map((t) => t?.value);
      return {
        path: `${path}/${field}`,
        reason: `${field} must be one of ${known.join(', ')}, got: ${show(tag)}`,
      };
    }
    const kinds = members.map(describe).join(' or ');
    return { path, reason: `must be ${kinds}, got: ${show(first.value)}` };
  }
  if (typeof first.value === 'number' && !Number.isFinite(first.value)) {
    return { path, reason: `must be a finite number, got: ${first.value}` };
  }
  const described = (failing as { description?: string }).description;
  if (first.message.startsWith('Expected string to match') && described) {
    return { path, reason: `must be ${described}, got: ${show(first.value)}` };
  }
  if (first.message === 'Unexpected property') return { path, reason: 'is not a field of this message' };
  return { path, reason: `${first.message.replace(/^Expected/, 'expected')}, got: ${show(first.value)}` };
}

function describe(schema: TSchema): string {
  const s = schema as { type?: string; const?: unknown; minimum?: number; maximum?: number };
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.type === 'number' || s.type === 'integer') {
    const range =
      s.minimum !== undefined && s.maximum !== undefined ? ` from ${s.minimum} to ${s.maximum}` : '';
    return `${s.type === 'integer' ? 'a whole number' : 'a number'}${range}`;
  }
  if (s.type === 'null') return 'null';
  return s.type ?? 'a known value';
}

function check<T>(schemas: Record<string, TSchema>, value: unknown): Checked<T> {
  const ref = refOf(value);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      issue: { code: 'malformed', path: '', reason: 'a message must be a JSON object', ref },
    };
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') {
    return { ok: false, issue: { code: 'invalid', path: '/type', reason: 'a message needs a type', ref } };
  }
  const schema = Object.hasOwn(schemas, type) ? schemas[type] : undefined;
  if (!schema) {
    const reason = `unknown message type ${show(type)} (known: ${Object.keys(schemas).join(', ')})`;
    return { ok: false, issue: { code: 'unknown-type', path: '/type', reason, ref } };
  }
  const wrong = firstIssue(schema, value, '') ?? RULES[type]?.(value as Record<string, unknown>) ?? null;
  if (wrong) return { ok: false, issue: { code: 'invalid', ...wrong, ref } };
  return { ok: true, message: value as T };
}

/** Rules between fields that a schema does not say. */
const RULES: Record<string, (value: Record<string, unknown>) => { path: string; reason: string } | null> = {
  hello: (v) => {
    if ((v.room === undefined) === (v.resume === undefined)) {
      return {
        path: '',
        reason: 'a hello carries either a room code (to join) or a resume token (to rejoin), not both',
      };
    }
    if (v.role === 'therapist' && v.room !== undefined && v.key === undefined) {
      return { path: '/key', reason: 'a therapist joins with the key of the room' };
    }
    return null;
  },
};

function parse<T>(schemas: Record<string, TSchema>, text: string, maxBytes: number): Checked<T> {
  if (typeof text !== 'string') {
    return { ok: false, issue: { code: 'malformed', path: '', reason: 'a message must be text', ref: {} } };
  }
  const size = tooLarge(text, maxBytes);
  if (size !== null) {
    const reason = `a message may be at most ${maxBytes} bytes, got: ${size}`;
    return { ok: false, issue: { code: 'too-large', path: '', reason, ref: {} } };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = `not JSON: ${error instanceof Error ? error.message : String(error)}`.slice(0, 200);
    return { ok: false, issue: { code: 'malformed', path: '', reason, ref: {} } };
  }
  return check<T>(schemas, value);
}

/** Checks a parsed value as a client message. */
export function checkClientMessage(value: unknown): Checked<ClientMessage> {
  return check<ClientMessage>(CLIENT_SCHEMAS, value);
}

/** Checks a parsed value as a server message. */
export function checkServerMessage(value: unknown): Checked<ServerMessage> {
  return check<ServerMessage>(SERVER_SCHEMAS, value);
}

/**
 * Reads a client message from the socket's text: size, JSON, type, schema.
 * @example parseClientMessage('{"type":"bye"}') // { ok: true, message: { type: 'bye' } }
 */
export function parseClientMessage(
  text: string,
  maxBytes = MAX_CLIENT_MESSAGE_BYTES,
): Checked<ClientMessage> {
  return parse<ClientMessage>(CLIENT_SCHEMAS, text, maxBytes);
}

/** Reads a server message from the socket's text (the device side). */
export function parseServerMessage(
  text: string,
  maxBytes = MAX_SERVER_MESSAGE_BYTES,
): Checked<ServerMessage> {
  return parse<ServerMessage>(SERVER_SCHEMAS, text, maxBytes);
}

type Validators<K extends string, M> = { readonly [T in K]: (value: unknown) => Checked<M & { type: T }> };

function validatorsOf<K extends string, M>(schemas: Record<K, TSchema>): Validators<K, M> {
  const out: Partial<Record<K, (value: unknown) => Checked<M>>> = {};
  for (const type of Object.keys(schemas) as K[]) {
    const only = { [type]: schemas[type] } as Record<string, TSchema>;
    out[type] = (value: unknown) => check<M>(only, value);
  }
  return out as unknown as Validators<K, M>;
}

/** One validator per client message type (a value of another type is an unknown type to it). */
export const validateClient: { readonly [K in ClientType]: (value: unknown) => Checked<ClientMessageOf<K>> } =
  validatorsOf<ClientType, ClientMessage>(CLIENT_SCHEMAS) as never;

/** One validator per server message type. */
export const validateServer: { readonly [K in ServerType]: (value: unknown) => Checked<ServerMessageOf<K>> } =
  validatorsOf<ServerType, ServerMessage>(SERVER_SCHEMAS) as never;

/**
 * The protocol version a hello states, read before the hello is checked in full: a device of
 * another version may send a hello of another shape, and must hear "version", not "invalid".
 */
export function statedVersion(text: string): number | null {
  if (typeof text !== 'string' || text.length > MAX_CLIENT_MESSAGE_BYTES) return null;
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null) return null;
    const v = value as { type?: unknown; protocol?: unknown };
    return v.type === 'hello' && typeof v.protocol === 'number' && Number.isSafeInteger(v.protocol)
      ? v.protocol
      : null;
  } catch {
    return null;
  }
}

/** The text of a message for the socket. */
export function encode(message: ClientMessage | ServerMessage): string {
  return JSON.stringify(message);
}
