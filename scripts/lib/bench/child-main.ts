// How a bench measurement runs as a child process of `npm run bench` (so that
// its wall time includes a node start like the suite's): its result as JSON
// to the file named by the first argument (or stdout), a failure as one line
// on stderr and exit 1.
import * as fs from 'node:fs';

export function runAsChild<T>(measure: () => Promise<T>, out: string | undefined = process.argv[2]): void {
  measure().then(
    (result) => {
      if (out) fs.writeFileSync(out, JSON.stringify(result, null, 2));
      else process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
