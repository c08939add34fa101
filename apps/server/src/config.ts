/**
 * The studio's settings from its environment, checked once at start: a bad value stops the
 * studio with one line naming the variable, the value and what it should be.
 */
import { resolve } from 'node:path';
import { DEFAULT_WEB_DIR, type StudioOptions } from './app.ts';

/** A setting that cannot be used. */
export class ConfigError extends Error {}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const value = env[name]?.trim();
  if (value === undefined || value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new ConfigError(`${name} must be 1 or 0, got: ${value}`);
}

function url(env: NodeJS.ProcessEnv, name: string, schemes: readonly string[]): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be a URL such as ${schemes[0]}//host:port/..., got: ${value}`);
  }
  if (!schemes.includes(parsed.protocol))
    throw new ConfigError(`${name} must start with ${schemes.join(' or ')}//, got: ${value}`);
  return value;
}

/**
 * Reads PORT, HOST, ATTUNE_DATA, DATABASE_URL, REDIS_URL, ATTUNE_WEB, ATTUNE_SECURE_COOKIES and
 * ATTUNE_TRUST_PROXY, relative paths against `cwd`.
 * @example configFromEnv({ PORT: '0' }, '/srv') // { port: 0, dataDir: '/srv/data', ... }
 */
export function configFromEnv(env: NodeJS.ProcessEnv, cwd: string): StudioOptions {
  const portText = env.PORT?.trim() || '8080';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535)
    throw new ConfigError(`PORT must be a whole number from 0 to 65535, got: ${env.PORT}`);
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const redisUrl = url(env, 'REDIS_URL', ['redis:', 'rediss:']);
  return {
    port,
    host: env.HOST?.trim() || '0.0.0.0',
    dataDir: resolve(cwd, env.ATTUNE_DATA?.trim() || './data'),
    webDir: env.ATTUNE_WEB?.trim() ? resolve(cwd, env.ATTUNE_WEB.trim()) : DEFAULT_WEB_DIR,
    secureCookies: flag(env, 'ATTUNE_SECURE_COOKIES'),
    trustProxy: flag(env, 'ATTUNE_TRUST_PROXY'),
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(redisUrl ? { redisUrl } : {}),
  };
}
