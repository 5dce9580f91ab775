/** Regenerates the tables of docs/gateway-contract.md from the code: `node --import tsx scripts/gen-docs.ts`. */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderGeneratedSections } from '../lib/gateway/contract-doc';

const path = fileURLToPath(new URL('../docs/gateway-contract.md', import.meta.url));
const before = readFileSync(path, 'utf8');
const after = renderGeneratedSections(before);
writeFileSync(path, after);
console.log(before === after ? `${path} is up to date` : `updated ${path}`);
