/**
 * The secret in a family link: 256 random bits, written base64url (43 characters). The studio
 * keeps only its SHA-256, so the database opens no clip, and a token is found by its hash, never
 * compared as text.
 */
import { createHash, randomBytes } from 'node:crypto';

/** A token as it appears in a link: 43 base64url characters. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A fresh token and its hash. */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

/** The SHA-256 of a token, hex: what the share's row keeps. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
