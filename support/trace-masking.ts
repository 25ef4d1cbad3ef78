// A Playwright trace is a zip of JSON-lines files (actions, network
// entries with headers and cookies) and resources. Before a trace is kept or
// attached, its cookies, credential headers and known secrets are masked, so
// the trace obeys the same rule as every other piece of evidence. A small
// zip reader/writer on node:zlib does it; entries are rewritten deflated.
import * as zlib from 'node:zlib';
import { isSecretKey, maskToken, type Secrets } from './mask';

interface Entry {
  name: string;
  data: Buffer;
}

const SECRET_HEADERS = /^(authorization|proxy-authorization|cookie|set-cookie)$/i;

function readZip(zip: Buffer): Entry[] {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const entries: Entry[] = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(p + 10);
    const compressed = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLen);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(dataStart, dataStart + compressed);
    if (method !== 0 && method !== 8) throw new Error(`zip entry ${name} uses compression method ${method}`);
    entries.push({ name, data: method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw) });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

function writeZip(entries: Entry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const body = zlib.deflateRawSync(e.data);
    const crc = zlib.crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Masks a parsed JSON value: credential headers and cookies by name, secret-named members, known secrets. */
function maskValue(value: unknown, secrets: Secrets): unknown {
  if (typeof value === 'string') return secrets.maskText(value);
  if (Array.isArray(value)) return value.map((v) => maskValue(v, secrets));
  if (!value || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'cookies' && Array.isArray(v)) {
      out[k] = v.map((c) => (c && typeof c === 'object' && typeof (c as { value?: unknown }).value === 'string' ? { ...c, value: maskToken((c as { value: string }).value) } : c));
    } else if (k === 'value' && typeof v === 'string' && typeof obj.name === 'string' && SECRET_HEADERS.test(obj.name)) {
      out[k] = maskToken(v);
    } else if (isSecretKey(k) && typeof v === 'string' && v) {
      out[k] = maskToken(v);
    } else {
      out[k] = maskValue(v, secrets);
    }
  }
  return out;
}

function isText(data: Buffer): boolean {
  return !data.subarray(0, 8000).includes(0) && Buffer.from(data.toString('utf8'), 'utf8').equals(data);
}

function maskEntry(e: Entry, secrets: Secrets): Entry {
  if (!isText(e.data)) return e;
  const text = e.data.toString('utf8');
  const lines = text.split('\n').map((line) => {
    if (!line.trim()) return line;
    try {
      return JSON.stringify(maskValue(JSON.parse(line), secrets));
    } catch {
      return secrets.maskText(line);
    }
  });
  return { name: e.name, data: Buffer.from(lines.join('\n'), 'utf8') };
}

/** A copy of the trace zip with every text entry masked. */
export function maskTrace(zip: Buffer, secrets: Secrets): Buffer {
  return writeZip(readZip(zip).map((e) => maskEntry(e, secrets)));
}

export const _forTests = { readZip, writeZip };
