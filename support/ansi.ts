// Terminal escape sequences out of error text. Playwright colours the call
// log of its errors (`\u001b[2m- navigating to …\u001b[22m`); Cucumber writes
// the message as it is into junit.xml, the HTML report, the message stream
// and Allure, where the escapes are noise (and invalid in XML 1.0).

// CSI sequences (colours, cursor moves), OSC sequences (titles, links) and
// the remaining two-byte escapes. Matching control characters is the point here.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

export function stripAnsi(text: string): string {
  return text.includes('\u001b') ? text.replace(ANSI, '') : text;
}

/** Strips escapes from an error's message and stack, in place. */
export function stripAnsiFromError(err: unknown): void {
  if (!(err instanceof Error)) return;
  // Read first: V8 renders the stack lazily, with whatever the message is then.
  const stack = err.stack;
  err.message = stripAnsi(err.message);
  if (stack) err.stack = stripAnsi(stack);
}
