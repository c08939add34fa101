/**
 * The wire protocol between the browser and the server: every message a member of a tagged union
 * (`messages.ts`), checked at the boundary (`validate.ts`); the clock exchange (`clock.ts`); and
 * the device's outbox of events not yet acknowledged (`outbox.ts`). A peer speaking another
 * version is refused at connect.
 */

/** The protocol version a peer states when it connects. Bump it on any incompatible change. */
export const PROTOCOL_VERSION = 1;

export * from './clock.ts';
export * from './examples.ts';
export * from './messages.ts';
export * from './outbox.ts';
export * from './seats.ts';
export * from './validate.ts';
