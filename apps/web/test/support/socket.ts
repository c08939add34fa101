/**
 * A `ws` client as a {@link LiveConnection}'s socket, so a test can sit in a room from Node as the
 * therapist's console or a player's device does (Node has no WebSocket of its own in version 20).
 */
import { WebSocket } from 'ws';
import type { SocketFactory } from '../../src/live/socket.ts';

/** Opens `url` (`ws://…/ws`) with `ws`; text frames reach the connection, binary frames are ignored. */
export function nodeSocket(url: string): SocketFactory {
  return (handlers) => {
    const socket = new WebSocket(url);
    socket.on('open', () => handlers.open());
    socket.on('message', (data, binary) => {
      if (!binary) handlers.message(data.toString());
    });
    socket.on('close', (code, reason) => handlers.close(code, reason.toString()));
    // A refused or broken socket also closes; the close is what the connection acts on.
    socket.on('error', () => {});
    return {
      send: (text) => {
        if (socket.readyState === WebSocket.OPEN) socket.send(text);
      },
      close: (code, reason) => socket.close(code, reason),
    };
  };
}

/** Waits for a condition in Node, polling every 50 ms; fails naming `what` after `timeout` ms. */
export async function until(what: string, check: () => boolean, timeout = 15_000): Promise<void> {
  const end = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}
