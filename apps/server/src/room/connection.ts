/**
 * One device's connection: the boundary where text becomes a checked message. Every message
 * first pays the connection's rate limit (so a flood costs the room almost nothing and never
 * reaches it), then is measured, parsed and checked; what fails is answered with an error and
 * goes no further. A hello of another protocol version is refused before anything else is read.
 */
import {
  type ClientMessage,
  type ErrorCode,
  encode,
  MAX_CLIENT_MESSAGE_BYTES,
  type MessageRef,
  PROTOCOL_VERSION,
  parseClientMessage,
  type RefusalCode,
  type ServerMessage,
  statedVersion,
} from '@attune/protocol';
import { TokenBucket } from './rate.ts';
import type { RoomSocket } from './socket.ts';

/** How much one connection may send. */
export interface ConnectionLimits {
  /** Messages that may arrive at once, and the sustained rate per second. */
  readonly burst: number;
  readonly perSecond: number;
  /** Bytes likewise. */
  readonly byteBurst: number;
  readonly bytesPerSecond: number;
  /** Messages refused for rate within one `floodWindow` after which the connection is closed. */
  readonly floodDrops: number;
  readonly floodWindow: number;
  readonly maxBytes: number;
}

/**
 * A drummer's fastest roll is ~20 strokes a second and a microphone sends ~50 voice frames a
 * second; 100 messages a second sustained leaves room for both with pings, and a burst of 200
 * covers a resend after a reconnect arriving in one go.
 */
export const DEFAULT_LIMITS: ConnectionLimits = {
  burst: 200,
  perSecond: 100,
  byteBurst: 256 * 1024,
  bytesPerSecond: 128 * 1024,
  floodDrops: 2000,
  floodWindow: 10,
  maxBytes: MAX_CLIENT_MESSAGE_BYTES,
};

/** Close codes sent with a refusal. */
export const CLOSE_NORMAL = 1000;
export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_POLICY = 1008;

/** A device's connection, with its limits and the place its checked messages go. */
export class Connection {
  /** Where checked messages go; null until the connection is routed to a room. */
  receiver: ((message: ClientMessage) => void) | null = null;
  /** Called once when the connection ends, however it ends. */
  onEnd: (() => void) | null = null;
  /** Set once a hello has been accepted; a second hello is an error. */
  joined = false;
  private live = true;
  private readonly messages: TokenBucket;
  private readonly bytes: TokenBucket;
  private readonly notices = new TokenBucket(1, 1);
  private dropped = 0;
  private windowStart = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly socket: RoomSocket,
    /** Where the connection comes from (an address), for limiting guesses. */
    readonly peer: string,
    private readonly now: () => number,
    private readonly limits: ConnectionLimits = DEFAULT_LIMITS,
  ) {
    this.messages = new TokenBucket(limits.burst, limits.perSecond);
    this.bytes = new TokenBucket(limits.byteBurst, limits.bytesPerSecond);
    socket.onMessage((text) => this.handle(text));
    socket.onClose(() => this.end());
  }

  /** Whether the connection is still open. */
  get open(): boolean {
    return this.live;
  }

  /** Sends a message; a socket that fails to send is treated as closed. */
  send(message: ServerMessage): void {
    if (this.live) this.sendEncoded(encode(message));
  }

  /** Sends a message already encoded with `encode` (one encoding for every device of a broadcast). */
  sendEncoded(text: string): void {
    if (!this.live) return;
    try {
      this.socket.send(text);
    } catch {
      this.end();
    }
  }

  /** Answers a refused message. */
  error(code: ErrorCode, message: string, ref: MessageRef = {}, path?: string): void {
    this.send({
      type: 'error',
      code,
      message: message.slice(0, 500),
      ref,
      ...(path !== undefined ? { path } : {}),
    });
  }

  /** Refuses the connection: says why, then closes it. */
  refuse(code: RefusalCode, message: string, closeCode = CLOSE_POLICY): void {
    if (!this.live) return;
    this.send({ type: 'refused', code, message: message.slice(0, 500) });
    this.close(closeCode, code);
  }

  /** Closes the connection. */
  close(code: number, reason: string): void {
    if (!this.live) return;
    try {
      this.socket.close(code, reason);
    } catch {
      // The socket is gone either way; the end is handled below.
    }
    this.end();
  }

  private end(): void {
    if (!this.live) return;
    this.live = false;
    this.receiver = null;
    const onEnd = this.onEnd;
    this.onEnd = null;
    onEnd?.();
  }

  private handle(text: string): void {
    if (!this.live) return;
    const now = this.now();
    const size = typeof text === 'string' ? text.length : 0;
    // Bytes are counted as UTF-16 units: never fewer than the characters, cheap, and the exact
    // UTF-8 size is checked against the limit by the parser. An oversized message is refused
    // unread, so it costs only what the largest allowed message costs.
    if (!this.messages.take(now) || !this.bytes.take(now, Math.min(size, this.limits.maxBytes + 1))) {
      this.throttled(now);
      return;
    }
    if (!this.joined) {
      const version = statedVersion(text);
      if (version !== null && version !== PROTOCOL_VERSION) {
        this.refuse(
          'version',
          `this server speaks protocol ${PROTOCOL_VERSION}, the device spoke ${version}: reload the app`,
        );
        return;
      }
    }
    const checked = parseClientMessage(text, this.limits.maxBytes);
    if (!checked.ok) {
      const { issue } = checked;
      this.error(
        issue.code,
        issue.path ? `${issue.path} ${issue.reason}` : issue.reason,
        issue.ref,
        issue.path,
      );
      return;
    }
    this.receiver?.(checked.message);
  }

  private throttled(now: number): void {
    if (now - this.windowStart > this.limits.floodWindow) {
      this.windowStart = now;
      this.dropped = 0;
    }
    this.dropped++;
    if (this.dropped > this.limits.floodDrops) {
      this.refuse('flood', 'too many messages: the connection is closed');
      return;
    }
    // One notice a second at most, so refusing a flood does not become a flood.
    if (this.notices.take(now)) {
      this.error(
        'rate-limited',
        `more than ${this.limits.perSecond} messages a second: messages are being dropped`,
      );
    }
  }
}
