/**
 * Devices connected to one instance whose room another instance hosts. The room stays the single
 * authority (admission, recording, the companion, the clock); the instance the device reached
 * only carries its frames:
 *
 * - outbound (on the device's instance): the device's checked messages go up to the host, tagged
 *   with a connection id; what the host sends comes down and is written to the WebSocket as is;
 * - inbound (on the host): a {@link RemoteSocket} stands for the device, so the room sees one
 *   more {@link RoomSocket} and cannot tell it from a local one.
 *
 * A close on either side reaches the other. When the other side's instance is gone (found by the
 * cluster's liveness check) or the Redis link drops, the device is closed with going-away: it
 * reconnects, lands on a live instance and resumes.
 */

import type { ClientMessageOf } from '@attune/protocol';
import { encode } from '@attune/protocol';
import { CLOSE_GOING_AWAY, type Connection, type RoomDirectory, type RoomSocket } from '../room/index.ts';
import type { Frame } from './wire.ts';

/** What the bridges need of the cluster. */
export interface BridgeOptions {
  /** This instance's id. */
  readonly instance: string;
  /** Sends a frame to another instance. */
  readonly publish: (instance: string, frame: Frame) => void;
  /**
   * Sends a frame for a bridged device to the instance it is on, in order with the others for
   * that instance; the same text for several devices in a row goes as one frame.
   */
  readonly toDevice: (instance: string, conn: string, frame: DeviceFrame) => void;
}

/** What the host sends a bridged device. */
export type DeviceFrame =
  | { readonly kind: 'down'; readonly text: string }
  | { readonly kind: 'close'; readonly code: number; readonly reason: string };

/** Why a bridged device is sent away when the instance hosting its room is gone. */
export const HOST_GONE = 'the studio server hosting this room stopped';
/** Why bridged devices are sent away when the link between instances failed. */
export const LINK_FAILED = 'the link between studio servers failed';

/** A device on another instance, as the room here sees it. */
export class RemoteSocket implements RoomSocket {
  private readonly messageHandlers: Array<(text: string) => void> = [];
  private readonly closeHandlers: Array<() => void> = [];
  private live = true;
  /** The device's connection here, once made. */
  connection: Connection | null = null;

  constructor(
    readonly conn: string,
    /** The instance the device is connected to. */
    readonly via: string,
    private readonly toDevice: BridgeOptions['toDevice'],
    private readonly forget: () => void,
  ) {}

  send(text: string): void {
    if (this.live) this.toDevice(this.via, this.conn, { kind: 'down', text });
  }

  close(code: number, reason: string): void {
    if (!this.live) return;
    this.toDevice(this.via, this.conn, { kind: 'close', code, reason });
    this.end();
  }

  onMessage(handler: (text: string) => void): void {
    this.messageHandlers.push(handler);
  }

  onClose(handler: () => void): void {
    this.closeHandlers.push(handler);
  }

  /** A frame the device sent. */
  deliver(text: string): void {
    if (!this.live) return;
    for (const h of this.messageHandlers) h(text);
  }

  /** The device's link ended, or the instance it was on is gone: the room sees a dropped link. */
  drop(): void {
    this.end();
  }

  private end(): void {
    if (!this.live) return;
    this.live = false;
    this.forget();
    for (const h of this.closeHandlers) h();
  }
}

interface Outbound {
  readonly connection: Connection;
  readonly socket: RoomSocket;
  /** The instance hosting the room. */
  readonly host: string;
}

/** The bridged connections of one instance, both ways. */
export class Bridges {
  private directory: RoomDirectory | null = null;
  private readonly sockets = new WeakMap<Connection, RoomSocket>();
  private readonly outbound = new Map<string, Outbound>();
  private readonly inbound = new Map<string, RemoteSocket>();
  private readonly bridgedIn = new WeakSet<Connection>();
  private next = 0;
  private closing = false;

  constructor(private readonly options: BridgeOptions) {}

  /** Sets the directory new connections go to (it is made after the cluster). */
  attach(directory: RoomDirectory): void {
    this.directory = directory;
  }

  private get rooms(): RoomDirectory {
    if (!this.directory) throw new Error('the bridges have no room directory yet');
    return this.directory;
  }

  /** How many devices are bridged: here to rooms elsewhere, and elsewhere to rooms here. */
  get size(): { outbound: number; inbound: number } {
    return { outbound: this.outbound.size, inbound: this.inbound.size };
  }

  /** A device's connection arriving at this instance (the WebSocket door's way in). */
  connect(socket: RoomSocket, peer: string): Connection {
    const connection = this.rooms.connect(socket, peer);
    this.sockets.set(connection, socket);
    return connection;
  }

  /** Whether a connection came bridged from another instance (it is not bridged again). */
  isBridgedIn(connection: Connection): boolean {
    return this.bridgedIn.has(connection);
  }

  /** Bridges a device here to the room `host` runs, starting with its hello. */
  open(connection: Connection, host: string, hello: ClientMessageOf<'hello'>): void {
    const socket = this.sockets.get(connection);
    if (!socket || this.closing) {
      connection.close(CLOSE_GOING_AWAY, 'the studio is restarting');
      return;
    }
    const conn = `${this.options.instance}.${(this.next++).toString(36)}`;
    const publish = this.options.publish;
    this.outbound.set(conn, { connection, socket, host });
    this.rooms.handOff(connection);
    // Checked here, so a hello or a version question is not asked twice; the host checks again.
    connection.joined = true;
    connection.receiver = (message) => publish(host, { kind: 'up', conn, text: encode(message) });
    connection.onEnd = () => {
      if (this.outbound.delete(conn)) publish(host, { kind: 'gone', conn });
    };
    publish(host, {
      kind: 'open',
      conn,
      from: this.options.instance,
      peer: connection.peer,
      text: encode(hello),
    });
  }

  /** A frame from another instance about a bridged device. */
  receive(frame: Frame): void {
    switch (frame.kind) {
      case 'open':
        this.accept(frame.conn, frame.from, frame.peer, frame.text);
        return;
      case 'up':
        this.inbound.get(frame.conn)?.deliver(frame.text);
        return;
      case 'gone':
        this.inbound.get(frame.conn)?.drop();
        return;
      case 'down':
        for (const conn of frame.conns) this.outbound.get(conn)?.socket.send(frame.text);
        return;
      case 'close': {
        const bridge = this.outbound.get(frame.conn);
        if (!bridge) return;
        this.outbound.delete(frame.conn);
        bridge.connection.onEnd = null;
        bridge.connection.close(frame.code, frame.reason);
        return;
      }
      default:
        return;
    }
  }

  /** The other instances bridged devices depend on, to be checked for life. */
  peers(): string[] {
    const ids = new Set<string>();
    for (const b of this.outbound.values()) ids.add(b.host);
    for (const r of this.inbound.values()) ids.add(r.via);
    return [...ids];
  }

  /** An instance is gone: its rooms' devices here are sent away to reconnect, its devices dropped. */
  lost(instance: string): void {
    for (const [conn, b] of this.outbound) if (b.host === instance) this.sendAway(conn, b, HOST_GONE);
    for (const r of [...this.inbound.values()]) if (r.via === instance) r.drop();
  }

  /**
   * The link between instances broke (Redis): frames may have been lost, so every bridge ends.
   * Returns the instances that had bridges with this one: they are told once the link is back.
   */
  cut(): string[] {
    const peers = this.peers();
    for (const [conn, b] of this.outbound) this.sendAway(conn, b, LINK_FAILED);
    for (const r of [...this.inbound.values()]) r.drop();
    return peers;
  }

  /** Another instance lost its link and ended its bridges: the other ends of them end here too. */
  reset(instance: string): void {
    for (const [conn, b] of this.outbound) if (b.host === instance) this.sendAway(conn, b, LINK_FAILED);
    for (const r of [...this.inbound.values()]) if (r.via === instance) r.drop();
  }

  /**
   * This instance stops: devices bridged in from elsewhere are told going-away (they reconnect and
   * resume once the session runs again), devices here bridged out are closed likewise.
   */
  leave(): void {
    this.closing = true;
    for (const r of [...this.inbound.values()])
      r.connection?.close(CLOSE_GOING_AWAY, 'the studio is restarting');
    for (const r of [...this.inbound.values()]) r.drop();
    for (const [conn, b] of this.outbound) this.sendAway(conn, b, 'the studio is restarting');
  }

  private sendAway(conn: string, bridge: Outbound, reason: string): void {
    this.outbound.delete(conn);
    bridge.connection.onEnd = null;
    bridge.connection.close(CLOSE_GOING_AWAY, reason);
    // The host, if it still lives, hears that the device left.
    this.options.publish(bridge.host, { kind: 'gone', conn });
  }

  private accept(conn: string, from: string, peer: string, text: string): void {
    if (this.closing || this.inbound.has(conn)) {
      this.options.publish(from, {
        kind: 'close',
        conn,
        code: CLOSE_GOING_AWAY,
        reason: 'the studio is restarting',
      });
      return;
    }
    const remote = new RemoteSocket(conn, from, this.options.toDevice, () => this.inbound.delete(conn));
    this.inbound.set(conn, remote);
    const connection = this.rooms.connect(remote, peer);
    remote.connection = connection;
    this.bridgedIn.add(connection);
    remote.deliver(text);
  }
}
