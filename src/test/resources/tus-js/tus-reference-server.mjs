// A small tus 1.0.0 server written from the protocol text, only to check the test harness (the job
// runner and the ITs) before the webapp's /tus/ exists: @tus/server lacks concatenation, checksums
// and X-HTTP-Method-Override, which the ITs use. Not part of the product and not run by mvn verify.
// Usage: node tus-reference-server.mjs DIR PORTFILE   (127.0.0.1, any free port; one log line per request)
// Upload URLs: /files/<id>. Extensions: creation, creation-with-upload, creation-defer-length,
// termination, concatenation, checksum (sha1, md5, sha256). State lives in memory, bytes in DIR.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const [dir, portFile] = process.argv.slice(2);
if (!dir || !portFile) {
  console.error('usage: node tus-reference-server.mjs DIR PORTFILE');
  process.exit(2);
}
fs.mkdirSync(dir, { recursive: true });
const uploads = new Map(); // id -> {length|null, offset, metadata, concat, file}
const ALGORITHMS = { sha1: 'sha1', md5: 'md5', sha256: 'sha256' };
const BASE = '/files';

function reply(res, status, headers = {}, body = '') {
  res.writeHead(status, { 'Tus-Resumable': '1.0.0', 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}

function idOf(url) {
  const pathname = new URL(url, 'http://x').pathname;
  return pathname.startsWith(BASE + '/') ? pathname.slice(BASE.length + 1) : null;
}

function create(req, res) {
  const concat = req.headers['upload-concat'];
  const id = crypto.randomBytes(16).toString('hex');
  const upload = { length: null, offset: 0, metadata: req.headers['upload-metadata'] ?? null,
    concat: concat ?? null, file: path.join(dir, id) };
  if (concat && concat.startsWith('final;')) {
    const parts = concat.slice(6).trim().split(/ +/).map((u) => uploads.get(idOf(u)));
    if (parts.some((p) => !p || p.concat !== 'partial' || p.offset !== p.length)) {
      return reply(res, 400, {}, 'partial upload missing or unfinished\n');
    }
    fs.writeFileSync(upload.file, Buffer.concat(parts.map((p) => fs.readFileSync(p.file))));
    upload.length = upload.offset = parts.reduce((sum, p) => sum + p.length, 0);
  } else if (req.headers['upload-defer-length'] === '1') {
    fs.writeFileSync(upload.file, '');
  } else {
    const length = Number(req.headers['upload-length']);
    if (!Number.isSafeInteger(length) || length < 0) return reply(res, 400, {}, 'bad Upload-Length\n');
    upload.length = length;
    fs.writeFileSync(upload.file, '');
  }
  uploads.set(id, upload);
  const location = `http://${req.headers.host}${BASE}/${id}`;
  if (req.headers['content-type'] === 'application/offset+octet-stream') {
    return append(req, res, upload, { Location: location }, 201);
  }
  return reply(res, 201, { Location: location, 'Upload-Offset': String(upload.offset) });
}

function append(req, res, upload, extra = {}, status = 204) {
  if (req.headers['content-type'] !== 'application/offset+octet-stream') return reply(res, 415);
  if (upload.concat && upload.concat.startsWith('final;')) return reply(res, 403, {}, 'final upload\n');
  const offset = Number(req.headers['upload-offset'] ?? (status === 201 ? 0 : NaN));
  if (offset !== upload.offset) return reply(res, 409, { 'Upload-Offset': String(upload.offset) });
  if (upload.length === null && req.headers['upload-length'] !== undefined) {
    upload.length = Number(req.headers['upload-length']);
  }
  const checksum = req.headers['upload-checksum'];
  let digest = null;
  let expected = null;
  if (checksum) {
    const [name, value] = checksum.split(' ');
    if (!ALGORITHMS[name]) return reply(res, 400, {}, 'unsupported checksum algorithm\n');
    digest = crypto.createHash(ALGORITHMS[name]);
    expected = value;
  }
  const room = upload.length === null ? Infinity : upload.length - upload.offset;
  const pending = [];
  let received = 0;
  let tooLong = false;
  const fd = fs.openSync(upload.file, 'r+');
  req.on('data', (chunk) => {
    const take = chunk.subarray(0, Math.max(0, room - received));
    tooLong ||= take.length < chunk.length;
    received += take.length;
    if (digest) {
      digest.update(take);
      pending.push(take); // kept back until the checksum is known
    } else {
      fs.writeSync(fd, take, 0, take.length, upload.offset);
      upload.offset += take.length; // a cut request keeps what was written
    }
  });
  req.on('close', () => {
    if (!req.complete) fs.closeSync(fd);
  });
  req.on('end', () => {
    if (digest && digest.digest('base64') !== expected) {
      fs.closeSync(fd);
      return reply(res, 460, {}, 'checksum mismatch\n');
    }
    for (const take of pending) {
      fs.writeSync(fd, take, 0, take.length, upload.offset);
      upload.offset += take.length;
    }
    fs.closeSync(fd);
    if (tooLong) return reply(res, 413, { 'Upload-Offset': String(upload.offset) }, 'past Upload-Length\n');
    return reply(res, status, { ...extra, 'Upload-Offset': String(upload.offset) });
  });
}

function head(res, upload) {
  const headers = { 'Upload-Offset': String(upload.offset) };
  if (upload.length === null) headers['Upload-Defer-Length'] = '1';
  else headers['Upload-Length'] = String(upload.length);
  if (upload.metadata !== null) headers['Upload-Metadata'] = upload.metadata;
  if (upload.concat !== null) headers['Upload-Concat'] = upload.concat;
  return reply(res, 200, headers);
}

function handle(req, res) {
  const method = (req.method === 'POST' && req.headers['x-http-method-override']) || req.method;
  res.on('finish', () => console.log(`${req.method}${method !== req.method ? '->' + method : ''} ${req.url} `
    + `${res.statusCode} offset=${req.headers['upload-offset'] ?? '-'}`));
  if (method === 'OPTIONS') {
    return reply(res, 204, { 'Tus-Version': '1.0.0', 'Tus-Max-Size': String(2 ** 40),
      'Tus-Extension': 'creation,creation-with-upload,creation-defer-length,termination,concatenation,checksum',
      'Tus-Checksum-Algorithm': Object.keys(ALGORITHMS).join(',') });
  }
  if (method !== 'GET' && req.headers['tus-resumable'] !== '1.0.0') {
    return reply(res, 412, { 'Tus-Version': '1.0.0' });
  }
  if (method === 'POST' && new URL(req.url, 'http://x').pathname.replace(/\/$/, '') === BASE) {
    return create(req, res);
  }
  const id = idOf(req.url);
  const upload = id && uploads.get(id);
  if (!upload) return reply(res, 404, {}, 'no such upload\n');
  switch (method) {
    case 'HEAD': return head(res, upload);
    case 'PATCH': return append(req, res, upload);
    case 'DELETE':
      uploads.delete(id);
      fs.rmSync(upload.file, { force: true });
      return reply(res, 204);
    case 'GET':
      if (upload.offset !== upload.length) return reply(res, 404, {}, 'unfinished\n');
      res.writeHead(200, { 'Content-Length': String(upload.length), 'Content-Type': 'application/octet-stream' });
      return fs.createReadStream(upload.file).pipe(res);
    default: return reply(res, 405);
  }
}

const server = http.createServer(handle);
server.listen(0, '127.0.0.1', () => {
  fs.writeFileSync(portFile, String(server.address().port));
  console.log('tus reference server on port ' + server.address().port + ', storing in ' + dir);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
