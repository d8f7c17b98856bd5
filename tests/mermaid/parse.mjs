// Parses each file named on the command line with Mermaid's own parser (under
// jsdom, which Mermaid needs for its sanitizer) and prints `ok FILE` or
// `error FILE: MESSAGE`; exits 1 when any file fails. Used by tests/graph.rs.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');

let failed = 0;
for (const file of process.argv.slice(2)) {
  try {
    await mermaid.parse(readFileSync(file, 'utf8'));
    console.log(`ok ${file}`);
  } catch (e) {
    failed += 1;
    console.log(`error ${file}: ${String(e.message || e).split('\n').join(' ')}`);
  }
}
process.exit(failed ? 1 : 0);
