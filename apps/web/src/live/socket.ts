/**
 * The least the live connection needs of a WebSocket: send text, close, and be told when it
 * opened, what arrived and when it ended. The browser's WebSocket satisfies it in a few lines
 * ({@link browserSocket}); unit tests hand in a fake, and Node tests a `ws` client.
 */

/** What the connection hears from its socket. */
export interface SocketHandlers {
  open(): void;
  message(text: string): void;
  /** The link ended (closed by either side, or never opened). */
  close(code: number, reason: string): void;
}

/** One connection attempt's socket. */
export interface LiveSocket {
  send(text: string): void;
  close(code?: number, reason?: string): void;
}

/** Opens a socket to the studio and wires its events to `handlers`. */
export type SocketFactory = (handlers: SocketHandlers) => LiveSocket;

/**
 * The studio's WebSocket address for a page address: same host, `/ws`, `wss:` under https.
 * @example socketUrl('https://studio.example/join/K7QP2M') // 'wss://studio.example/ws'
 */
export function socketUrl(page: string): string {
  const url = new URL('/ws', page);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/** A factory of browser WebSockets to `url`. */
export function browserSocket(url: string): SocketFactory {
  return (handlers) => {
    const socket = new WebSocket(url);
    let ended = false;
    const end = (code: number, reason: string) => {
      if (ended) return;
      ended = true;
      handlers.close(code, reason);
    };
    socket.onopen = () => handlers.open();
    socket.onmessage = (event) => {
      if (typeof event.data === 'string') handlers.message(event.data);
    };
    socket.onclose = (event) => end(event.code, event.reason);
    // An error is always followed by close; the close carries what the connection needs.
    socket.onerror = () => {};
    return {
      send: (text) => {
        if (socket.readyState === WebSocket.OPEN) socket.send(text);
      },
      close: (code = 1000, reason = '') => {
        if (socket.readyState === WebSocket.CLOSING || socket.readyState === WebSocket.CLOSED) return;
        socket.close(code, reason);
      },
    };
  };
}
