import { describe, expect, it } from 'vitest';
import { parseRoute, routePath } from './routes.ts';

describe('parseRoute', () => {
  it('reads every page of the contract', () => {
    expect(parseRoute('/')).toEqual({ page: 'home' });
    expect(parseRoute('/console/3f2a-bc_9')).toEqual({ page: 'console', session: '3f2a-bc_9' });
    expect(parseRoute('/join')).toEqual({ page: 'join', code: null });
    expect(parseRoute('/join/K7QP2M')).toEqual({ page: 'join', code: 'K7QP2M' });
    expect(parseRoute('/solo')).toEqual({ page: 'solo' });
    expect(parseRoute('/about')).toEqual({ page: 'about' });
    expect(parseRoute('/review/3f2a-bc_9')).toEqual({ page: 'review', session: '3f2a-bc_9' });
    expect(parseRoute('/clients')).toEqual({ page: 'clients' });
    expect(parseRoute('/clients/a46f-9')).toEqual({ page: 'client', client: 'a46f-9' });
    expect(parseRoute('/groups/')).toEqual({ page: 'groups' });
    expect(parseRoute('/groups/g_1')).toEqual({ page: 'group', group: 'g_1' });
    expect(parseRoute('/admin')).toEqual({ page: 'admin' });
    expect(parseRoute('/shared/Xy_9-abc')).toEqual({ page: 'shared', token: 'Xy_9-abc' });
  });

  it('takes a typed code in any case, trailing slashes and the old solo address', () => {
    expect(parseRoute('/join/k7qp2m/')).toEqual({ page: 'join', code: 'K7QP2M' });
    expect(parseRoute('/play/')).toEqual({ page: 'solo' });
    expect(parseRoute('/about/')).toEqual({ page: 'about' });
  });

  it('says not found for anything else, without throwing on bad escapes', () => {
    expect(parseRoute('/console')).toEqual({ page: 'not-found', path: '/console' });
    expect(parseRoute('/console/a/b')).toEqual({ page: 'not-found', path: '/console/a/b' });
    expect(parseRoute('/join/K7 QP')).toEqual({ page: 'not-found', path: '/join/K7 QP' });
    expect(parseRoute('/join/%E0%A4%A')).toEqual({ page: 'not-found', path: '/join/%E0%A4%A' });
    expect(parseRoute('/console/../../etc')).toEqual({ page: 'not-found', path: '/console/../../etc' });
    expect(parseRoute(`/console/${'x'.repeat(65)}`).page).toBe('not-found');
    expect(parseRoute('/clients/a b')).toEqual({ page: 'not-found', path: '/clients/a b' });
    expect(parseRoute('/admin/x')).toEqual({ page: 'not-found', path: '/admin/x' });
    expect(parseRoute('/shared/a.b')).toEqual({ page: 'not-found', path: '/shared/a.b' });
  });

  it('writes addresses that read back as the same page', () => {
    for (const path of [
      '/',
      '/console/abc',
      '/review/abc',
      '/join',
      '/join/K7QP2M',
      '/solo',
      '/about',
      '/clients',
      '/clients/c1',
      '/groups',
      '/groups/g1',
      '/admin',
    ]) {
      expect(routePath(parseRoute(path))).toBe(path);
    }
  });
});
