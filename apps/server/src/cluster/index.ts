/**
 * Rooms shared by several studio instances over Redis (`REDIS_URL`): the registry of which
 * instance hosts which room, the bridges that carry a device's frames to its room's host, the
 * hello router and guess limits across instances. Without `REDIS_URL` none of this runs.
 */
export { Bridges, HOST_GONE, LINK_FAILED, RemoteSocket } from './bridges.ts';
export { Cluster, type ClusterOptions, NEEDS_POSTGRES } from './cluster.ts';
export { type HostedRoom, Registry, type RegistryOptions, type RunningRoom } from './registry.ts';
export { ClusterRouter, roomOfToken } from './router.ts';
export { decodeFrame, encodeFrame, type Frame } from './wire.ts';
