/**
 * The app's pages and their addresses, as the studio serves them: one page loads for every
 * address, and this module says which screen an address means. Moving between pages uses the
 * History API (`pushState`), so the back button works and a reload lands on the same page.
 */

/** A page of the app, with what its address carries. */
export type Route =
  | { readonly page: 'home' }
  | { readonly page: 'console'; readonly session: string }
  | { readonly page: 'review'; readonly session: string }
  | { readonly page: 'join'; readonly code: string | null }
  | { readonly page: 'solo' }
  | { readonly page: 'about' }
  | { readonly page: 'clients' }
  | { readonly page: 'client'; readonly client: string }
  | { readonly page: 'groups' }
  | { readonly page: 'group'; readonly group: string }
  | { readonly page: 'admin' }
  /** A family's page for a clip a therapist shared: the link's secret token. */
  | { readonly page: 'shared'; readonly token: string }
  | { readonly page: 'not-found'; readonly path: string };

/** A session id as the studio hands them out (letters, digits, - and _), at most 64 long. */
const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** A shared clip's token (the studio's are 43 long; any other shows the page of a link that does not work). */
const SHARE_TOKEN = /^[A-Za-z0-9_-]{1,200}$/;
/** A room code as typed or linked: letters and digits; upper-cased for the room. */
const ROOM_CODE = /^[A-Za-z0-9]{4,12}$/;

/**
 * The page an address means. Trailing slashes are ignored; `/play` (solo play's old address) is
 * solo play; a room code in a link is upper-cased, since codes are read aloud and typed by hand.
 * @example parseRoute('/console/abc') // { page: 'console', session: 'abc' }
 * @example parseRoute('/join/k7qp2m') // { page: 'join', code: 'K7QP2M' }
 */
export function parseRoute(pathname: string): Route {
  const parts = pathname
    .split('/')
    .filter((p) => p !== '')
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
  const [first, second, ...rest] = parts;
  if (first === undefined) return { page: 'home' };
  if (rest.length === 0) {
    if (second === undefined) {
      if (first === 'solo' || first === 'play') return { page: 'solo' };
      if (first === 'about') return { page: 'about' };
      if (first === 'join') return { page: 'join', code: null };
      if (first === 'clients' || first === 'groups' || first === 'admin') return { page: first };
    } else {
      if (first === 'console' && SESSION_ID.test(second)) return { page: 'console', session: second };
      if (first === 'review' && SESSION_ID.test(second)) return { page: 'review', session: second };
      if (first === 'join' && ROOM_CODE.test(second)) return { page: 'join', code: second.toUpperCase() };
      // Records' ids have the same shape as session ids.
      if (first === 'clients' && SESSION_ID.test(second)) return { page: 'client', client: second };
      if (first === 'groups' && SESSION_ID.test(second)) return { page: 'group', group: second };
      if (first === 'shared' && SHARE_TOKEN.test(second)) return { page: 'shared', token: second };
    }
  }
  return { page: 'not-found', path: pathname };
}

/**
 * The address of a page.
 * @example routePath({ page: 'console', session: 'abc' }) // '/console/abc'
 */
export function routePath(route: Route): string {
  switch (route.page) {
    case 'home':
      return '/';
    case 'console':
      return `/console/${encodeURIComponent(route.session)}`;
    case 'review':
      return `/review/${encodeURIComponent(route.session)}`;
    case 'join':
      return route.code === null ? '/join' : `/join/${encodeURIComponent(route.code)}`;
    case 'solo':
      return '/solo';
    case 'about':
      return '/about';
    case 'clients':
    case 'groups':
    case 'admin':
      return `/${route.page}`;
    case 'client':
      return `/clients/${encodeURIComponent(route.client)}`;
    case 'group':
      return `/groups/${encodeURIComponent(route.group)}`;
    case 'shared':
      return `/shared/${encodeURIComponent(route.token)}`;
    case 'not-found':
      return route.path;
  }
}

/** What the router listens to: set by the app at start. */
let onNavigate: ((route: Route) => void) | null = null;

/** The app's router registers itself here (one router per page). */
export function listen(handler: (route: Route) => void): () => void {
  onNavigate = handler;
  const pop = () => handler(parseRoute(location.pathname));
  window.addEventListener('popstate', pop);
  return () => {
    window.removeEventListener('popstate', pop);
    if (onNavigate === handler) onNavigate = null;
  };
}

/**
 * Goes to a page without reloading: a new history entry (or, with `replace`, in place of this
 * one, for redirects the back button should skip).
 */
export function navigate(to: Route | string, options: { replace?: boolean } = {}): void {
  const path = typeof to === 'string' ? to : routePath(to);
  if (options.replace) history.replaceState(null, '', path);
  else if (path !== location.pathname) history.pushState(null, '', path);
  onNavigate?.(parseRoute(path));
  window.scrollTo(0, 0);
}

/**
 * A click handler for links inside the app: a plain left click navigates in place; a click with a
 * modifier (new tab, new window) is left to the browser.
 */
export function followLink(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = (event.currentTarget ?? event.target) as HTMLAnchorElement | null;
  if (!anchor || anchor.origin !== location.origin || anchor.target === '_blank') return;
  event.preventDefault();
  navigate(anchor.pathname);
}
