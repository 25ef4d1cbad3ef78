// Starts the emulated stack: each product on its own loopback listener,
// talking to the others over HTTP(S) only, as in a real installation.
import type { Component, ComponentContext, StackUrls } from './component';
import { bind, type Listening } from './lib/http';
import { withAnswerLog } from './lib/answer-log';
import { makeSelfSignedCertificate } from './lib/tls';
import { makeAsKeysAsync } from './oxauth/jwks';
import type { Ports, SandboxSettings } from './settings';
import { createKong } from './kong';
import { createOxd } from './oxd';
import { createOxAuth } from './oxauth';
import { createDemoApi } from './upstream/demo-api';
import { createDemoWebsite } from './upstream/demo-website';
import { createEchoApi } from './upstream/echo-api';

export type ListenerName = keyof Ports;
export const LISTENERS: ListenerName[] = ['kongAdmin', 'kongProxy', 'oxd', 'oxauth', 'upstream', 'echo', 'website'];

/** oxd and oxAuth speak HTTPS only (oxd.md §1, oxauth.md §1). */
const TLS_LISTENERS = new Set<ListenerName>(['oxd', 'oxauth']);

/**
 * No `Keep-Alive: timeout=N` header (issue 14 item 2): Kong 2.2's nginx
 * template sets keepalive_timeout with one parameter, which sends none, and
 * oxd's Jetty sends none. The Express apps set their own (timeout=5).
 */
const NO_KEEP_ALIVE_HEADER = new Set<ListenerName>(['kongAdmin', 'kongProxy', 'oxd']);

export interface Stack {
  urls: StackUrls;
  started: ListenerName[];
  close(): Promise<void>;
}

function defaultUrl(name: ListenerName, host: string, port: number): string {
  // The AS is addressed as "localhost": its session cookie is Secure and
  // browsers treat https://localhost as the same site in every form.
  if (name === 'oxauth') return `https://localhost:${port}`;
  return `${TLS_LISTENERS.has(name) ? 'https' : 'http'}://${host}:${port}`;
}

export async function startStack(
  settings: SandboxSettings,
  options: { only?: ListenerName[]; log?: ComponentContext['log']; recordSecret?: ComponentContext['recordSecret'] } = {},
): Promise<Stack> {
  const wanted = options.only?.length ? LISTENERS.filter((n) => options.only?.includes(n)) : LISTENERS;
  // The AS's RSA key and the certificate are made side by side, off the main thread.
  const keysMade = wanted.includes('oxauth') ? makeAsKeysAsync() : undefined;
  const tls = wanted.some((n) => TLS_LISTENERS.has(n)) ? await makeSelfSignedCertificate() : undefined;
  const bound = new Map<ListenerName, Listening>();
  try {
    for (const name of wanted) {
      bound.set(name, await bind(settings.host, settings.ports[name], TLS_LISTENERS.has(name) ? tls : undefined));
    }
  } catch (err) {
    await Promise.all([...bound.values()].map((l) => l.close()));
    await keysMade?.catch(() => undefined);
    throw err;
  }
  const urls = {} as StackUrls;
  for (const name of LISTENERS) {
    const port = bound.get(name)?.port ?? settings.ports[name];
    urls[name] = (settings.publicUrls[name] ?? defaultUrl(name, settings.host, port)).replace(/\/+$/, '');
  }
  const asKeys = await keysMade;
  const ctx: ComponentContext = { settings, urls, log: options.log ?? (() => undefined), recordSecret: options.recordSecret };
  const components: Partial<Record<ListenerName, () => Component>> = {
    oxauth: () => createOxAuth(ctx, asKeys),
    oxd: () => createOxd(ctx),
    upstream: () => createDemoApi(),
    echo: () => createEchoApi(),
    website: () => createDemoWebsite(),
  };
  if (bound.has('kongAdmin') || bound.has('kongProxy')) {
    const kong = createKong(ctx);
    components.kongAdmin = () => kong.admin;
    components.kongProxy = () => kong.proxy;
  }
  for (const [name, listening] of bound) {
    const make = components[name];
    if (!make) continue;
    const component = make();
    // Every 4xx/5xx and error redirect, logged under the component's name (issue 14 item 13).
    const logged = withAnswerLog(component, component.name, ctx.log);
    listening.attach(NO_KEEP_ALIVE_HEADER.has(name) ? { ...logged, keepAliveHeader: false } : logged);
  }
  return {
    urls,
    started: [...bound.keys()],
    close: async () => {
      await Promise.all([...bound.values()].map((l) => l.close()));
    },
  };
}
