// The kinds of failure the suite tells apart (and the report categorises):
// a conformance failure is the deployment's fault; a setup or environment
// problem means the run could not test anything; a known divergence is a
// recorded, expected departure from UMA 2.0.
import type { Exchange, ExchangeRequest } from './http';

/** The tutorial's set-up could not be made (Kong or oxd refused a step). */
export class SetupError extends Error {
  constructor(
    message: string,
    readonly exchange?: Exchange,
  ) {
    super(message);
    this.name = 'SetupError';
  }
}

/**
 * The target could not be reached or answered nothing usable (over HTTP, or
 * in the browser): an environment problem, not a conformance failure. The
 * launcher tells these apart by the class name at the start of the message
 * (scripts/run.ts ENVIRONMENT_FAILURE).
 */
export class EnvironmentError extends Error {
  constructor(
    message: string,
    /** The HTTP request that failed; absent for a page the browser could not load. */
    readonly request?: ExchangeRequest,
  ) {
    super(message);
    this.name = 'EnvironmentError';
  }
}
