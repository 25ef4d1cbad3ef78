// What the UMA tests of the AS share: a describe block's AS with the first
// tutorial's setup (as.setup(): resource, PAT, requesting party client),
// made before its tests and closed after them.
import { after, before } from 'node:test';
import { startAs, type AsOptions, type Setup, type TestAs } from './harness';

/** `set` hands the AS and its setup to the block's variables. */
export function withUmaSetup(set: (s: { as: TestAs; s: Setup }) => void, options: AsOptions = {}): void {
  let as: TestAs | undefined;
  before(async () => {
    as = await startAs(options);
    set({ as, s: await as.setup() });
  });
  after(() => as?.close());
}
