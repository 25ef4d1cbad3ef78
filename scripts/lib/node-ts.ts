// How every child process of the project runs TypeScript: node with the
// project's cached loader (scripts/register.js).
import * as path from 'node:path';

export const TS_LOADER = path.resolve(__dirname, '..', 'register.js');

/** Node arguments that come before a .ts entry point. */
export const NODE_TS_ARGS = ['--require', TS_LOADER];
