#!/usr/bin/env node
// Runs the prebuilt command (dist/, made at npm install by scripts/bundle.mjs) while it is as new
// as every source it was built from; otherwise runs the TypeScript sources directly through tsx,
// so the command needs no build step. ATTUNE_BUNDLE=0 always runs the sources.
import { readFileSync, statSync } from 'node:fs';

// A reader that stops early (`attune beats x.mid | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

/** Whether dist/attune.js was built from the sources as they are now. */
function bundleIsCurrent() {
  if (process.env.ATTUNE_BUNDLE === '0') return false;
  try {
    const dist = new URL('../dist/', import.meta.url);
    const built = statSync(new URL('attune.js', dist)).mtimeMs;
    const inputs = JSON.parse(readFileSync(new URL('inputs.json', dist), 'utf8'));
    const cli = new URL('../', import.meta.url);
    return inputs.every((input) => statSync(new URL(input, cli)).mtimeMs <= built);
  } catch {
    return false;
  }
}

let main;
if (bundleIsCurrent()) {
  ({ main } = await import('../dist/attune.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/main.ts'));
}
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
