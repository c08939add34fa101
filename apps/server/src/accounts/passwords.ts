/**
 * Password hashing with argon2id (the OWASP recommendation: 19 MiB of memory, two passes, one
 * lane). Hashing runs on libuv's thread pool, so a login does not stall the rooms' ticks. Only
 * the PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) is stored.
 */
import { type Algorithm, hash, verify } from '@node-rs/argon2';

/** The library's `Algorithm.Argon2id` (a const enum, which isolated modules cannot read). */
const ARGON2ID = 2 as Algorithm;

/** Cost of one hash; raising it later is safe, since each stored hash carries its own. */
export const PASSWORD_COST = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Shortest password the studio takes: long beats complicated for people who type on tablets. */
export const MIN_PASSWORD_LENGTH = 10;
/** Longest password hashed, so a huge body cannot buy a long hash. */
export const MAX_PASSWORD_LENGTH = 1024;

/** Hashes a password with a fresh random salt. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { ...PASSWORD_COST, algorithm: ARGON2ID });
}

/** Whether `password` matches a stored hash; a malformed hash matches nothing. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

let decoy: Promise<string> | null = null;

/**
 * Spends the time a real check would on an account that does not exist, so the answer's timing
 * does not tell which email addresses have accounts.
 */
export async function verifyNobody(password: string): Promise<false> {
  decoy ??= hashPassword('a password no account has');
  await verifyPassword(await decoy, password);
  return false;
}
