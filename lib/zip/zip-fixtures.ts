/**
 * Builds real zip archives in memory for tests, plus byte-level patches for the hostile shapes that well-behaved
 * writers refuse to produce (traversal names, encryption flags). Test support only: nothing in the product imports it.
 */
import yazl from 'yazl';

export interface FixtureEntry {
  /** A name ending in `/` adds a folder entry. */
  name: string;
  data: string | Buffer;
  /** Unix mode including the type bits, e.g. 0o120777 for a symlink. */
  mode?: number;
  compress?: boolean;
}

export async function buildZip(entries: readonly FixtureEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    if (entry.name.endsWith('/')) {
      zip.addEmptyDirectory(entry.name, { mtime: new Date('2024-01-01T00:00:00Z') });
      continue;
    }
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data) : entry.data;
    zip.addBuffer(data, entry.name, {
      mtime: new Date('2024-01-01T00:00:00Z'),
      compress: entry.compress ?? true,
      ...(entry.mode === undefined ? {} : { mode: entry.mode }),
    });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const LOCAL_HEADER = { signature: 0x04034b50, flags: 6, nameLength: 26, name: 30 };
const CENTRAL_HEADER = { signature: 0x02014b50, flags: 8, nameLength: 28, name: 46 };

/** Calls `visit` with the offset of every local and central header whose stored name is `name`. */
function forEachHeaderNamed(
  zip: Buffer,
  name: string,
  visit: (offset: number, layout: typeof LOCAL_HEADER) => void,
): number {
  const wanted = Buffer.from(name);
  let hits = 0;
  for (let offset = 0; offset + 4 <= zip.length; offset++) {
    const signature = zip.readUInt32LE(offset);
    const layout =
      signature === LOCAL_HEADER.signature ? LOCAL_HEADER : signature === CENTRAL_HEADER.signature ? CENTRAL_HEADER : undefined;
    if (!layout || offset + layout.name > zip.length) continue;
    const length = zip.readUInt16LE(offset + layout.nameLength);
    const stored = zip.subarray(offset + layout.name, offset + layout.name + length);
    if (stored.equals(wanted)) {
      visit(offset, layout);
      hits++;
    }
  }
  if (hits === 0) throw new Error(`fixture: no header named ${name}`);
  return hits;
}

/** Renames an entry in place; the new name must have the same byte length (e.g. `xx/evil` -> `../evil`). */
export function renameEntry(zip: Buffer, from: string, to: string): Buffer {
  const replacement = Buffer.from(to);
  if (replacement.length !== Buffer.byteLength(from)) throw new Error('fixture: names must have equal byte length');
  const patched = Buffer.from(zip);
  forEachHeaderNamed(patched, from, (offset, layout) => replacement.copy(patched, offset + layout.name));
  return patched;
}

/** ORs `bits` into the general-purpose flags of an entry (0x1 = traditional encryption). */
export function setEntryFlags(zip: Buffer, name: string, bits: number): Buffer {
  const patched = Buffer.from(zip);
  forEachHeaderNamed(patched, name, (offset, layout) => {
    const at = offset + layout.flags;
    patched.writeUInt16LE(patched.readUInt16LE(at) | bits, at);
  });
  return patched;
}
