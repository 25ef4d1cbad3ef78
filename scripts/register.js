// Loads the project's TypeScript: `node --require ./scripts/register.js file.ts`.
// ts-node (transpile-only, as in tsconfig.json) compiles each file; the
// JavaScript is kept in node_modules/.cache/uma-ts under a key of the file's
// path and content, the ts-node and TypeScript versions and tsconfig.json, so
// a warm start loads neither ts-node nor TypeScript. That cut the suite's
// start-up from 3.6 s to 1.4 s on the 2-core machine (npm run bench); type
// checking stays with `npm run typecheck`. Plain JavaScript: it is the loader.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'uma-ts');
const version = (pkg) => JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
const SALT = [version('ts-node'), version('typescript'), fs.readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8')].join('\0');

let service;
function compile(source, filename) {
  service ??= require('ts-node').create({ transpileOnly: true, project: path.join(ROOT, 'tsconfig.json') });
  return service.compile(source, filename);
}

require.extensions['.ts'] = function loadTypeScript(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto.createHash('sha1').update(SALT).update('\0').update(filename).update('\0').update(source).digest('hex');
  const cached = path.join(CACHE, `${key}.js`);
  let output;
  try {
    output = fs.readFileSync(cached, 'utf8');
  } catch {
    output = compile(source, filename);
    fs.mkdirSync(CACHE, { recursive: true });
    // Written whole and renamed: parallel workers never read half a file.
    const tmp = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, output);
    fs.renameSync(tmp, cached);
  }
  module._compile(output, filename);
};
