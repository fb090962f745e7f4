// Every page request passes through gatehouse's Next.js middleware: it
// verifies the access cookie locally, refreshes an expired one silently,
// and applies the route rules below. Pages read who is signed in from the
// x-auth-* request headers it sets.
import { createGatehouseMiddleware, type GatehouseMiddleware } from '@gatehouse/client/next';

import { gatehouseServerSettings } from './lib/gatehouse-env';
import { LANDING_PATH, LOGIN_PATH } from './lib/routes';

let guard: GatehouseMiddleware | undefined;

// Created on the first request rather than at import, so that the settings
// come from the running server's environment, and `next build` needs none.
function gatehouseGuard(): GatehouseMiddleware {
  guard ??= createGatehouseMiddleware({
    ...gatehouseServerSettings(),
    loginPath: LOGIN_PATH,
    landingPath: LANDING_PATH,
    publicPaths: [LOGIN_PATH, '/_next', '/favicon.ico'],
    // As at gatehouse's edge guard, a path no rule covers is open to all,
    // so the rule on '/' makes every page need a session unless it is
    // public above (the longest prefix wins). It names every role: a
    // signed-in user whose role is not listed gets 403.
    rules: [
      { prefix: '/', roles: ['user', 'admin'] },
      { prefix: '/admin', roles: ['admin'] },
    ],
  });
  return guard;
}

export function middleware(request: Parameters<GatehouseMiddleware>[0]) {
  return gatehouseGuard()(request);
}

export const config = {
  // Static files need no session; everything else, pages and their data
  // requests alike, is guarded.
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
