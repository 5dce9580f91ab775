// A tiny zip reader/writer: stored and deflated entries, no zip64, no encryption.
// Enough for project exports, .gwbk backups and .modl modules.
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIR = 0x06054b50;
const STORED = 0;
const DEFLATED = 8;
const UTF8_NAMES = 0x0800;

export class ZipError extends Error {}

/** @returns {Map<string, Buffer>} entry name -> content, directories left out. */
export function readZip(buffer) {
  const end = findEndOfCentralDirectory(buffer);
  const count = buffer.readUInt16LE(end + 10);
  let offset = buffer.readUInt32LE(end + 16);
  const entries = new Map();
  for (let i = 0; i < count; i++) {
    if (offset + 46 > buffer.length || buffer.readUInt32LE(offset) !== CENTRAL_HEADER) {
      throw new ZipError(`central directory entry ${i} is damaged`);
    }
    const method = buffer.readUInt16LE(offset + 10);
    const crc = buffer.readUInt32LE(offset + 16);
    const compressedSize = buffer.readUInt32LE(offset + 20);
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    const localOffset = buffer.readUInt32LE(offset + 42);
    const name = buffer.subarray(offset + 46, offset + 46 + nameLength).toString('utf8');
    offset += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    const data = entryData(buffer, localOffset, compressedSize, name);
    const content = decompress(method, data, name);
    if (crc32(content) !== crc) throw new ZipError(`entry ${name} fails its CRC check`);
    entries.set(name, content);
  }
  return entries;
}

function findEndOfCentralDirectory(buffer) {
  const earliest = Math.max(0, buffer.length - 22 - 0xffff);
  for (let at = buffer.length - 22; at >= earliest; at--) {
    if (buffer.readUInt32LE(at) === END_OF_CENTRAL_DIR) return at;
  }
  throw new ZipError('not a zip file (no end of central directory record)');
}

function entryData(buffer, localOffset, compressedSize, name) {
  if (localOffset + 30 > buffer.length || buffer.readUInt32LE(localOffset) !== LOCAL_HEADER) {
    throw new ZipError(`local header of ${name} is damaged`);
  }
  const start = localOffset + 30 + buffer.readUInt16LE(localOffset + 26) + buffer.readUInt16LE(localOffset + 28);
  if (start + compressedSize > buffer.length) throw new ZipError(`entry ${name} is truncated`);
  return buffer.subarray(start, start + compressedSize);
}

function decompress(method, data, name) {
  if (method === STORED) return Buffer.from(data);
  if (method === DEFLATED) {
    try {
      return inflateRawSync(data);
    } catch {
      throw new ZipError(`entry ${name} is not valid deflate data`);
    }
  }
  throw new ZipError(`entry ${name} uses compression method ${method}; only stored (0) and deflated (8) are supported`);
}

/** @param {Iterable<[string, Buffer | string]>} entries name -> content */
export function writeZip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, raw] of entries) {
    const content = Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8');
    const nameBytes = Buffer.from(name, 'utf8');
    const deflated = deflateRawSync(content);
    const useDeflate = deflated.length < content.length;
    const data = useDeflate ? deflated : content;
    const fields = {
      method: useDeflate ? DEFLATED : STORED,
      crc: crc32(content),
      compressedSize: data.length,
      size: content.length,
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    writeCommonFields(local, 4, fields, nameBytes.length);
    locals.push(local, nameBytes, data);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_HEADER, 0);
    central.writeUInt16LE(20, 4); // made by: version 2.0
    writeCommonFields(central, 6, fields, nameBytes.length);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const centralDir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  const count = centrals.length / 2;
  if (count > 0xffff || offset > 0xffffffff) throw new ZipError('archive too large for a zip without zip64');
  end.writeUInt32LE(END_OF_CENTRAL_DIR, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(centralDir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralDir, end]);
}

// The fields local and central headers share, from "version needed" to "name length".
function writeCommonFields(header, at, fields, nameLength) {
  header.writeUInt16LE(20, at); // version needed: 2.0
  header.writeUInt16LE(UTF8_NAMES, at + 2);
  header.writeUInt16LE(fields.method, at + 4);
  header.writeUInt16LE(0, at + 6); // mod time
  header.writeUInt16LE(0x21, at + 8); // mod date: 1980-01-01
  header.writeUInt32LE(fields.crc, at + 10);
  header.writeUInt32LE(fields.compressedSize, at + 14);
  header.writeUInt32LE(fields.size, at + 18);
  header.writeUInt16LE(nameLength, at + 22);
}
