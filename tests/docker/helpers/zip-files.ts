// Zip files for Docker tests, made and read with yazl/yauzl, so the simulator's own zip code is checked
// against independent implementations.
import { buffer, text } from 'node:stream/consumers';
import yauzl from 'yauzl';
import yazl from 'yazl';

export async function makeZip(entries: Record<string, string | Buffer>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(entries)) {
    zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), name);
  }
  zip.end();
  return buffer(zip.outputStream);
}

/** Every file entry as text, keyed by name. */
export async function readZipText(zip: Buffer): Promise<Map<string, string>> {
  const archive = await yauzl.fromBufferPromise(zip, { lazyEntries: true });
  const files = new Map<string, string>();
  await new Promise<void>((resolve, reject) => {
    archive.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName.endsWith('/')) return archive.readEntry();
      archive.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        text(stream).then((content) => {
          files.set(entry.fileName, content);
          archive.readEntry();
        }, reject);
      });
    });
    archive.on('end', () => resolve());
    archive.on('error', reject);
    archive.readEntry();
  });
  return files;
}

/** A module file (.modl) holding a module.xml with the given fields. */
export function makeModule(fields: { id: string; name: string; version: string; requiredIgnitionVersion: string }) {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<modules>
  <module>
    <id>${fields.id}</id>
    <name>${fields.name}</name>
    <version>${fields.version}</version>
    <requiredIgnitionVersion>${fields.requiredIgnitionVersion}</requiredIgnitionVersion>
    <requiredFrameworkVersion>8</requiredFrameworkVersion>
    <license>license.html</license>
    <hook scope="G">com.example.GatewayHook</hook>
  </module>
</modules>
`;
  return makeZip({ 'module.xml': xml, 'license.html': '<p>terms</p>' });
}

/**
 * Renames an entry in place (local header and central directory), for names zip writers refuse to write,
 * such as "../evil". Both names must have the same byte length.
 */
export function renameEntry(zip: Buffer, from: string, to: string): Buffer {
  const [fromBytes, toBytes] = [Buffer.from(from), Buffer.from(to)];
  if (fromBytes.length !== toBytes.length) throw new Error(`"${from}" and "${to}" must have the same length`);
  const out = Buffer.from(zip);
  for (let at = out.indexOf(fromBytes); at !== -1; at = out.indexOf(fromBytes, at + 1)) toBytes.copy(out, at);
  return out;
}
