// What the two bare flows (bare-flow.ts, bare-oidc-flow.ts) share: their one
// assertion and the one Chromium each launches on first use (launched as
// this machine's browser tests launch it, its launch time kept for the bench).
import { chromium, type Browser } from 'playwright';
import { browserExecutable } from './machine';

class FlowError extends Error {}

export function expect(cond: unknown, what: string): asserts cond {
  if (!cond) throw new FlowError(what);
}

export class SharedBrowser {
  private browser?: Promise<Browser>;
  /** How long the launch took, once it happened. */
  launchMs?: number;

  get(): Promise<Browser> {
    this.browser ??= (async () => {
      const t = performance.now();
      const b = await chromium.launch({
        headless: true,
        executablePath: browserExecutable(),
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      this.launchMs = Math.round(performance.now() - t);
      return b;
    })();
    return this.browser;
  }

  async close(): Promise<void> {
    const b = this.browser;
    this.browser = undefined;
    if (b) await (await b).close();
  }
}
