/**
 * The wire protocol between the browser and the server. Every message will be one member of a
 * tagged union defined here, validated at the boundary; a peer speaking another version is
 * refused at connect.
 */

/** The protocol version a peer states when it connects. Bump it on any incompatible change. */
export const PROTOCOL_VERSION = 1;
