// The kinds of failure the suite tells apart (and the report categorises):
// a conformance failure is the deployment's fault; a setup or environment
// problem means the run could not test anything; a known divergence is a
// recorded, expected departure from UMA 2.0.
import type { Exchange } from './http';

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
