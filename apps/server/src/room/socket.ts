/**
 * The least a room needs of a connection: send text, close, and tell it of messages and of the
 * end. A WebSocket satisfies it with a few lines of wiring; tests use {@link socketPair}, an
 * in-memory pair, so rooms run without a server.
 */

/** A connection as the room sees it. */
export interface RoomSocket {
  send(text: string): void;
  close(code: number, reason: string): void;
  onMessage(handler: (text: string) => void): void;
  onClose(handler: () => void): void;
}

/** The device's end of an in-memory pair. */
export interface DeviceSocket {
  send(text: string): void;
  /** The device hangs up, as a closed tab does. */
  close(): void;
  /** The link fails without a word to either side, as a lost Wi-Fi connection does. */
  drop(): void;
  readonly received: string[];
  /** The code and reason the server closed with, or null while open. */
  readonly closedWith: { code: number; reason: string } | null;
  readonly open: boolean;
}

/**
 * Two ends of an in-memory connection. Delivery is immediate; a closed or dropped link carries
 * nothing further in either direction.
 * @example const [device, server] = socketPair(); room.connect(server); device.send('{"type":"bye"}');
 */
export function socketPair(): [DeviceSocket, RoomSocket] {
  const messageHandlers: Array<(text: string) => void> = [];
  const closeHandlers: Array<() => void> = [];
  const received: string[] = [];
  let open = true;
  let closedWith: { code: number; reason: string } | null = null;
  const end = () => {
    if (!open) return;
    open = false;
    for (const h of closeHandlers) h();
  };
  const server: RoomSocket = {
    send(text) {
      if (open) received.push(text);
    },
    close(code, reason) {
      if (!open) return;
      closedWith = { code, reason };
      end();
    },
    onMessage: (handler) => messageHandlers.push(handler),
    onClose: (handler) => closeHandlers.push(handler),
  };
  const device: DeviceSocket = {
    send(text) {
      if (!open) return;
      for (const h of messageHandlers) h(text);
    },
    close: end,
    drop: end,
    received,
    get closedWith() {
      return closedWith;
    },
    get open() {
      return open;
    },
  };
  return [device, server];
}
