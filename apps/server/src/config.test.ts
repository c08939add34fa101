import { describe, expect, it } from 'vitest';
import { DEFAULT_WEB_DIR } from './app.ts';
import { ConfigError, configFromEnv } from './config.ts';

describe('configFromEnv', () => {
  it('needs nothing: port 8080, ./data, the built web app, SQLite', () => {
    expect(configFromEnv({}, '/srv/attune')).toEqual({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/srv/attune/data',
      webDir: DEFAULT_WEB_DIR,
      secureCookies: false,
      trustProxy: false,
    });
  });

  it('takes every setting', () => {
    const config = configFromEnv(
      {
        PORT: '0',
        HOST: '127.0.0.1',
        ATTUNE_DATA: 'store',
        ATTUNE_WEB: '/opt/web',
        DATABASE_URL: 'postgres://attune@db:5432/attune',
        REDIS_URL: 'redis://cache:6379',
        ATTUNE_SECURE_COOKIES: '1',
        ATTUNE_TRUST_PROXY: 'true',
      },
      '/srv',
    );
    expect(config).toEqual({
      port: 0,
      host: '127.0.0.1',
      dataDir: '/srv/store',
      webDir: '/opt/web',
      databaseUrl: 'postgres://attune@db:5432/attune',
      redisUrl: 'redis://cache:6379',
      secureCookies: true,
      trustProxy: true,
    });
  });

  it('refuses bad values with one line naming the variable and the value', () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ PORT: '-1' }, 'PORT must be a whole number from 0 to 65535, got: -1'],
      [{ PORT: '70000' }, 'PORT must be a whole number from 0 to 65535, got: 70000'],
      [{ PORT: '80.5' }, 'PORT must be a whole number from 0 to 65535, got: 80.5'],
      [
        { DATABASE_URL: 'sqlite:x' },
        'DATABASE_URL must start with postgres: or postgresql://, got: sqlite:x',
      ],
      [
        { DATABASE_URL: 'not a url' },
        'DATABASE_URL must be a URL such as postgres://host:port/..., got: not a url',
      ],
      [{ REDIS_URL: 'http://cache' }, 'REDIS_URL must start with redis: or rediss://, got: http://cache'],
      [{ ATTUNE_SECURE_COOKIES: 'yes' }, 'ATTUNE_SECURE_COOKIES must be 1 or 0, got: yes'],
    ];
    for (const [env, message] of cases) {
      expect(() => configFromEnv(env, '/srv')).toThrow(ConfigError);
      expect(() => configFromEnv(env, '/srv')).toThrow(message);
    }
  });
});
