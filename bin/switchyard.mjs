#!/usr/bin/env node
// The switchyard CLI. Runs cli/main.ts through tsx, so `npx switchyard ...` works in a checkout without a build.
import { register } from 'tsx/esm/api';

register();
const { main } = await import(new URL('../cli/main.ts', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
