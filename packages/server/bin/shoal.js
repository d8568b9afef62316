#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so `shoal` works without a build step.
import { register } from 'tsx/esm/api';

register();
// `shoal … | head` closes our stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const { runCli, processIo } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2), processIo);
