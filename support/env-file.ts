// The env file named by UMA_ENV_FILE: KEY=VALUE lines. A line it rejects is
// reported by its number and, when it starts with a setting-like name, that
// name; never by its text, which is often a secret written the wrong way
// (`CLIENT_SECRET: …`, `CLIENT-SECRET=…`). A file that is not text is said to
// be so: its bytes never reach the terminal.

export interface EnvFile {
  values: Record<string, string>;
  problems: string[];
  /** What followed the name on each rejected line: possibly secrets, masked wherever they might appear. */
  unparsed: string[];
}

/** Rejected lines reported one by one; beyond, a count. */
const MAX_LINE_PROBLEMS = 5;

const GOOD_LINE = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;
/** A name before "=" or ":" (CLIENT-SECRET=…, CLIENT_SECRET: …, gg.admin.url=…), and what follows it. */
const NAMED_LINE = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)(\s*[=:].*)$/;
/**
 * A name alone or before a space (`GG_ADMIN_URL http://…`): named only when
 * it is capitals and underscores, the shape of a setting, as a secret pasted
 * on a line of its own never is.
 */
const BARE_NAME_LINE = /^(?:export\s+)?([A-Z][A-Z_]*)(\s.*)?$/;
/** NUL, or bytes that are not UTF-8 (read as U+FFFD): a binary file, not KEY=VALUE text. */
// eslint-disable-next-line no-control-regex
const NOT_TEXT = /[\u0000\uFFFD]/;

/** Why a line is not KEY=VALUE, in words that quote nothing but its setting-like name. */
function rejection(fileName: string, lineNo: number, line: string): { problem: string; unparsed: string } {
  const named = NAMED_LINE.exec(line) ?? BARE_NAME_LINE.exec(line);
  if (!named) return { problem: `${fileName} line ${lineNo} is not KEY=VALUE (the line is not shown: it may hold a secret)`, unparsed: line };
  const [, name, rest = ''] = named;
  const unparsed = rest.replace(/^\s*[:=]?\s*/, '');
  if (/^\s*=/.test(rest)) {
    return { problem: `${fileName} line ${lineNo}: ${name} is not a setting name (letters, digits and _ only; the value is not shown)`, unparsed };
  }
  return { problem: `${fileName} line ${lineNo} (${name}) is not KEY=VALUE: write ${name}=<value> (the value is not shown)`, unparsed };
}

/** Parses KEY=VALUE lines; `#` comments, blank lines and an optional `export ` prefix allowed. */
export function parseEnvFile(text: string, fileName: string): EnvFile {
  if (NOT_TEXT.test(text)) {
    return { values: {}, problems: [`UMA_ENV_FILE ${fileName} is not a text file of KEY=VALUE lines (it holds NUL or non-UTF-8 bytes)`], unparsed: [] };
  }
  const values: Record<string, string> = {};
  const problems: string[] = [];
  const unparsed: string[] = [];
  let rejected = 0;
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const m = GOOD_LINE.exec(trimmed);
    if (!m) {
      const r = rejection(fileName, i + 1, trimmed);
      unparsed.push(r.unparsed);
      if (++rejected <= MAX_LINE_PROBLEMS) problems.push(r.problem);
      return;
    }
    let value = m[2];
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    values[m[1]] = value;
  });
  if (rejected > MAX_LINE_PROBLEMS) problems.push(`${fileName} has ${rejected - MAX_LINE_PROBLEMS} more lines that are not KEY=VALUE`);
  return { values, problems, unparsed };
}
