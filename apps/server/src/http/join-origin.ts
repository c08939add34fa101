/**
 * The origin a join link names. A therapist often opens the studio on its own laptop as
 * `http://localhost:8080`; a link or QR code naming localhost would lead a client's tablet
 * nowhere, so a loopback host is replaced by the machine's address on the local network.
 */
import { networkInterfaces } from 'node:os';

const LOOPBACK = /^(localhost|127(\.\d+){3}|\[::1\])$/i;

/** The machine's first IPv4 address on a network (not loopback), or null. */
export function lanAddress(): string | null {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}

/**
 * The origin for join links, given the protocol and host (with port) a request came to.
 * @example joinOrigin('http', 'localhost:8080', '192.168.1.20') // 'http://192.168.1.20:8080'
 */
export function joinOrigin(protocol: string, host: string, lan: string | null): string {
  const match = /^(\[[^\]]+\]|[^:]+)(:\d+)?$/.exec(host);
  if (!match || lan === null || !LOOPBACK.test(match[1] ?? '')) return `${protocol}://${host}`;
  return `${protocol}://${lan}${match[2] ?? ''}`;
}
