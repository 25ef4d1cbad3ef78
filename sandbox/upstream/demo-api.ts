// The tutorial's protected API: gg-demo/node-api/index.js @ gluu-gateway-setup
// version_4.2.2, an Express 4 app with two routes (gateway.md §10):
// `app.get("/posts", …)` (lines 4–16) and `app.get("/posts/*", …)` (lines
// 18–24), both `res.json`. Express's routing applies (sandbox/upstream/express.ts):
// `/Posts/1`, `/POSTS/` and `/posts/` answer as `/posts/1` and `/posts` do.
import type { Component } from '../component';
import { createExpressApp } from './express';

const TITLE = 'sunt aut facere repellat provident occaecati excepturi optio reprehenderit';
const BODY = 'quia et suscipit suscipit recusandae consequuntur expedita et cum reprehenderit molestiae ut ut quas totam nostrum rerum est autem sunt rem eveniet architecto';

export const POSTS = [
  { id: 1, title: TITLE, body: BODY },
  { id: 2, title: TITLE, body: BODY },
];

export function createDemoApi(): Component {
  return createExpressApp('upstream', [
    { path: '/posts', render: () => ({ json: POSTS }) },
    { path: '/posts/*', render: () => ({ json: POSTS[0] }) },
  ]);
}
