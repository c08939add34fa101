/**
 * What studio instances say to one another over their Redis channels (one channel per instance,
 * `{prefix}to:{instance}`). A device's frames travel as the text the device or the room wrote,
 * behind a one-letter kind and a few space-separated fields, so a bridged frame costs one
 * publish and no second JSON layer.
 *
 *   o CONN FROM PEER TEXT   a device on FROM said hello TEXT for a room hosted by the receiver
 *   u CONN TEXT             a frame from the device (bridge to host)
 *   g CONN                  the device's link ended (bridge to host)
 *   d CONN,CONN... TEXT     a frame for these devices (host to bridge: a broadcast to several
 *                           devices on one instance is one frame)
 *   c CONN CODE REASON      the room closed the device's connection (host to bridge)
 *   e ID FROM SESSION       close the room of SESSION here: it is being ended on FROM
 *   r ID ERROR              the answer to `e ID` (ERROR empty when the room closed)
 *   x FROM                  FROM lost its Redis link and ended every bridge: end yours with it
 *
 * CONN is `{instance}.{n}` of the bridging instance; PEER (the device's address, for limits) is
 * URI-encoded so it holds no space.
 */

/** One message between instances. */
export type Frame =
  | {
      readonly kind: 'open';
      readonly conn: string;
      readonly from: string;
      readonly peer: string;
      readonly text: string;
    }
  | { readonly kind: 'up'; readonly conn: string; readonly text: string }
  | { readonly kind: 'gone'; readonly conn: string }
  | { readonly kind: 'down'; readonly conns: readonly string[]; readonly text: string }
  | { readonly kind: 'close'; readonly conn: string; readonly code: number; readonly reason: string }
  | { readonly kind: 'end'; readonly id: string; readonly from: string; readonly session: string }
  | { readonly kind: 'ended'; readonly id: string; readonly error: string }
  | { readonly kind: 'reset'; readonly from: string };

/** Identifiers carried in a frame: no spaces, nothing empty. */
const WORD = /^[^\s]+$/;

/** A connection id: one word without commas (they separate the ids of a down frame). */
function conn(value: string): string {
  if (value.includes(',')) throw new RangeError(`conn must have no comma, got: ${JSON.stringify(value)}`);
  return word(value, 'conn');
}

function word(value: string, what: string): string {
  if (!WORD.test(value))
    throw new RangeError(`${what} must be one word without spaces, got: ${JSON.stringify(value)}`);
  return value;
}

/** The text of a frame. */
export function encodeFrame(frame: Frame): string {
  switch (frame.kind) {
    case 'open':
      return `o ${word(frame.conn, 'conn')} ${word(frame.from, 'from')} ${encodeURIComponent(frame.peer) || '-'} ${frame.text}`;
    case 'up':
      return `u ${word(frame.conn, 'conn')} ${frame.text}`;
    case 'gone':
      return `g ${word(frame.conn, 'conn')}`;
    case 'down':
      if (frame.conns.length === 0) throw new RangeError('a down frame needs a connection, got none');
      return `d ${frame.conns.map((c) => conn(c)).join(',')} ${frame.text}`;
    case 'close':
      return `c ${word(frame.conn, 'conn')} ${frame.code} ${frame.reason}`;
    case 'end':
      return `e ${word(frame.id, 'id')} ${word(frame.from, 'from')} ${word(frame.session, 'session')}`;
    case 'ended':
      return `r ${word(frame.id, 'id')} ${frame.error}`;
    case 'reset':
      return `x ${word(frame.from, 'from')}`;
  }
}

/** The first `n` space-separated words of `text` after its kind letter, and the rest (or null). */
function split(text: string, n: number): { words: string[]; rest: string } | null {
  if (text[1] !== ' ') return null;
  const words: string[] = [];
  let at = 2;
  for (let i = 0; i < n; i++) {
    if (at > text.length) return null;
    const space = text.indexOf(' ', at);
    const end = space < 0 ? text.length : space;
    if (end === at) return null;
    words.push(text.slice(at, end));
    at = end + 1;
  }
  return { words, rest: at > text.length ? '' : text.slice(at) };
}

/** A frame from its text, or null when the text is not one (it is then ignored and reported). */
export function decodeFrame(text: string): Frame | null {
  switch (text[0]) {
    case 'o': {
      const s = split(text, 3);
      if (!s) return null;
      const [conn, from, peer] = s.words as [string, string, string];
      let address: string;
      try {
        address = peer === '-' ? '' : decodeURIComponent(peer);
      } catch {
        return null;
      }
      // The hello text itself may hold spaces: everything after the third field is the text.
      return { kind: 'open', conn, from, peer: address, text: s.rest };
    }
    case 'u':
    case 'd': {
      const s = split(text, 1);
      if (!s) return null;
      const id = s.words[0] as string;
      if (text[0] === 'u') return { kind: 'up', conn: id, text: s.rest };
      const conns = id.split(',');
      return conns.includes('') ? null : { kind: 'down', conns, text: s.rest };
    }
    case 'g': {
      const s = split(text, 1);
      return s && s.rest === '' ? { kind: 'gone', conn: s.words[0] as string } : null;
    }
    case 'c': {
      const s = split(text, 2);
      if (!s) return null;
      const [conn, code] = s.words as [string, string];
      if (!/^\d{4}$/.test(code)) return null;
      return { kind: 'close', conn, code: Number(code), reason: s.rest };
    }
    case 'e': {
      const s = split(text, 3);
      if (s?.rest !== '') return null;
      const [id, from, session] = s.words as [string, string, string];
      return { kind: 'end', id, from, session };
    }
    case 'r': {
      const s = split(text, 1);
      if (!s) return null;
      return { kind: 'ended', id: s.words[0] as string, error: s.rest };
    }
    case 'x': {
      const s = split(text, 1);
      return s?.rest === '' ? { kind: 'reset', from: s.words[0] as string } : null;
    }
    default:
      return null;
  }
}
