#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so the command needs no build step.
import { register } from 'tsx/esm/api';

// A reader that stops early (`attune beats x.mid | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
