// The second tutorial's upstream website: gg-demo/node-ejs/app.js @
// gluu-gateway-setup version_4.2.2 (identical in 4.2.0–4.2.2; oidc-uma.md §5),
// an Express 4 + EJS 2 app on port 4400 with six GET routes, each rendering
// one view (app.js lines 9–31). Express's routing applies
// (sandbox/upstream/express.ts): not strict and not case-sensitive, so
// `/settings`, `/Settings/` and `/SETTINGS` all render the settings page
// (W11). The site shows no request headers and no user data; checks of what
// the upstream receives use the echo upstream.
import type { Component } from '../component';
import { createExpressApp, type ExpressRoute } from './express';
import { FLIGHTS, HOME, LOGOUT, PAYMENTS, SETTINGS } from './demo-website-views';

/** In app.js order (lines 9, 13, 17, 21, 25, 29): the first match wins. */
export const WEBSITE_ROUTES: ExpressRoute[] = [
  { path: '/logout_redirect_uri', render: () => ({ html: LOGOUT }) },
  { path: '/flights/', render: () => ({ html: FLIGHTS }) },
  { path: '/settings/', render: () => ({ html: SETTINGS }) },
  { path: '/payments/', render: () => ({ html: PAYMENTS }) },
  { path: '/home/', render: () => ({ html: HOME }) },
  { path: '/', render: () => ({ html: HOME }) },
];

export function createDemoWebsite(): Component {
  return createExpressApp('website', WEBSITE_ROUTES);
}
