/**
 * The live rooms' door: WebSocket upgrades at `/ws`, each connection handed to the room
 * directory as a {@link RoomSocket}. `ws` is attached to Fastify's own HTTP server (not through a
 * Fastify plugin) because the room does its own routing, checking and limits after the hello, and
 * participants need no cookie or other HTTP context: the upgrade is the only HTTP it sees.
 *
 * What it guards:
 * - a frame over MAX_CLIENT_MESSAGE_BYTES is refused by `ws` unread and the connection closed
 *   with 1009 (message too big); a binary frame is closed with 1003 (the protocol is text);
 * - a device that does not read what it is sent is dropped once more than `maxBuffered` bytes
 *   wait for it, rather than buffered without bound (it can resume its seat when it reads again);
 * - a link that died silently (no pong to a ping within `heartbeat` seconds) is ended, so the
 *   therapist sees the device as away.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { MAX_CLIENT_MESSAGE_BYTES } from '@attune/protocol';
import { type WebSocket, WebSocketServer } from 'ws';
import { CLOSE_GOING_AWAY, type Connection, type RoomDirectory, type RoomSocket } from './room/index.ts';

/** Bytes that may wait for a device before it is dropped: many seconds of a busy room's messages. */
export const MAX_BUFFERED = 1024 * 1024;
/** WebSocket close codes used here besides the room's. */
export const CLOSE_UNSUPPORTED_DATA = 1003;

/** How the door is set up. */
export interface RoomGateOptions {
  /** Where connections go: the room directory, or the cluster in front of it (see `cluster/`). */
  readonly directory: Pick<RoomDirectory, 'connect'>;
  /** The address a connection is counted against for wrong room codes. */
  readonly peerOf: (request: IncomingMessage) => string;
  readonly maxBuffered?: number;
  /** Seconds between pings; a connection that did not answer the last one is ended (default 30). */
  readonly heartbeat?: number;
}

/** A `ws` socket as the room sees it. */
export function roomSocket(ws: WebSocket, maxBuffered: number = MAX_BUFFERED): RoomSocket {
  return {
    send(text) {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > maxBuffered) {
        // The device is not reading: end the link rather than hold its messages without bound.
        ws.terminate();
        return;
      }
      ws.send(text);
    },
    close(code, reason) {
      ws.close(code, reason);
    },
    onMessage(handler) {
      ws.on('message', (data, isBinary) => {
        if (isBinary) {
          ws.close(CLOSE_UNSUPPORTED_DATA, 'send JSON text frames');
          return;
        }
        handler(data.toString());
      });
    },
    onClose(handler) {
      ws.on('close', handler);
    },
  };
}

/** The WebSocket door of a server. */
export class RoomGate {
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Connection>();
  private readonly alive = new WeakSet<WebSocket>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closing = false;

  constructor(
    server: Server,
    private readonly options: RoomGateOptions,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: MAX_CLIENT_MESSAGE_BYTES,
      perMessageDeflate: false,
    });
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(request, socket, head),
    );
    this.beat();
  }

  /** How many devices are connected. */
  get size(): number {
    return this.connections.size;
  }

  /** Ends every connection with "going away" (devices reconnect and resume) and takes no more. */
  close(): void {
    this.closing = true;
    if (this.timer) clearTimeout(this.timer);
    for (const c of this.connections) c.close(CLOSE_GOING_AWAY, 'the studio is restarting');
    this.connections.clear();
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/ws' || this.closing) {
      const status = this.closing ? '503 Service Unavailable' : '404 Not Found';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    socket.on('error', () => socket.destroy());
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      this.alive.add(ws);
      ws.on('pong', () => this.alive.add(ws));
      // Errors (a frame too large, a broken frame) close the socket; the close is what the room hears.
      ws.on('error', () => {});
      const connection = this.options.directory.connect(
        roomSocket(ws, this.options.maxBuffered),
        this.options.peerOf(request),
      );
      this.connections.add(connection);
      ws.on('close', () => this.connections.delete(connection));
    });
  }

  private beat(): void {
    const every = (this.options.heartbeat ?? 30) * 1000;
    this.timer = setTimeout(() => {
      for (const ws of this.wss.clients) {
        if (!this.alive.has(ws)) {
          ws.terminate();
          continue;
        }
        this.alive.delete(ws);
        ws.ping();
      }
      if (!this.closing) this.beat();
    }, every);
    this.timer.unref();
  }
}
