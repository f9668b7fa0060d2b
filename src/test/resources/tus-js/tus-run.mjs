// Runs one tus-js-client job for the integration tests and prints its result as one JSON line.
// Usage: node tus-run.mjs '<job json>'   or   node tus-run.mjs - < job.json
//
// Job fields (all but endpoint/uploadUrl and file optional):
//   endpoint          creation URL (POST)               file             path of the file to upload
//   chunkSize         bytes per PATCH (left out: one)   parallelUploads  n partial uploads + a final one
//   metadata          {key: value}                      headers          sent on every request (Cookie ...)
//   uploadUrl         resume from this upload URL       overridePatchMethod  POST + X-HTTP-Method-Override
//   urlStorage        FileUrlStorage file; with resume: true the job resumes the upload stored there
//   uploadDataDuringCreation, uploadLengthDeferred      as tus-js-client's options
//   asStream          give the file as a plain stream of unknown size (needs chunkSize; with
//                     uploadLengthDeferred: tus-js-client's file source never ends a deferred upload)
//   cutAfterBytes     cut the connection once the file's bytes up to this offset are sent, then stop
//   terminate         DELETE the upload where the job stops (after the cut, or after success)
//   retryDelays       default [0, 300, 1000]            timeoutMs        default 45000
//   protocol          tus-js-client's protocol option: tus-v1 (default), ietf-draft-03, ietf-draft-05
//   asBuffer          give the file as a Buffer read whole (tus-js-client's BufferSource) instead of a
//                     file stream (its FileSource, whose chunks never say they are the last: with
//                     chunkSize and an IETF protocol its last PATCH says Upload-Complete: ?0)
// Result: {outcome: success|cut|error|timeout, uploadUrl, size, offset, cutAt, terminated,
//          previousUploads, requests: [{method, url, sent: {...}, status, received: {...}}], error, elapsedMs}
import fs from 'node:fs';
import { PassThrough, Readable, Transform } from 'node:stream';
import * as tus from 'tus-js-client';

const SENT = ['Tus-Resumable', 'Upload-Offset', 'Upload-Length', 'Upload-Defer-Length', 'Upload-Concat', 'Upload-Metadata',
  'X-HTTP-Method-Override', 'Content-Type', 'Cookie', 'Upload-Complete', 'Upload-Draft-Interop-Version'];
const RECEIVED = ['Upload-Offset', 'Upload-Length', 'Location', 'Upload-Expires', 'Tus-Resumable', 'Set-Cookie',
  'Upload-Complete', 'Upload-Limit', 'Repr-Digest'];
const started = Date.now();

function readJob() {
  const arg = process.argv[2];
  if (!arg) throw new Error('usage: node tus-run.mjs <job json> | -');
  return JSON.parse(arg === '-' ? fs.readFileSync(0, 'utf8') : arg);
}

function pick(names, get) {
  const picked = {};
  for (const name of names) {
    const value = get(name);
    if (value !== undefined && value !== null) picked[name] = String(value);
  }
  return picked;
}

// Passes the first `limit` bytes of a PATCH body (a stream, or a Buffer's slice), then holds the rest
// back and calls onCut once: the server has received exactly those bytes when the connection is cut.
function cutBody(body, limit, onCut) {
  let passed = 0;
  let cut = false;
  const limited = new Transform({
    transform(chunk, _encoding, callback) {
      if (cut) return; // never call back: backpressure stops the file stream
      const room = limit - passed;
      if (chunk.length < room) {
        passed += chunk.length;
        callback(null, chunk);
        return;
      }
      passed = limit;
      cut = true;
      this.push(chunk.subarray(0, room));
      onCut(passed);
    },
  });
  limited.size = body.size;
  (Buffer.isBuffer(body) ? Readable.from([body]) : body).pipe(limited);
  return limited;
}

// Wraps the default HTTP stack: records every exchange and, for cutAfterBytes, limits the body that
// crosses the cut offset (the offset a PATCH starts at is its Upload-Offset; 0 for a creation POST).
class RecordingHttpStack {
  constructor(inner, job, onCut) {
    this.inner = inner;
    this.job = job;
    this.onCut = onCut;
    this.requests = [];
    this.cutDone = false;
  }

  createRequest(method, url) {
    const req = this.inner.createRequest(method, url);
    const send = req.send.bind(req);
    req.send = async (body) => {
      const entry = { method, url, sent: pick(SENT, (n) => req.getHeader(n)) };
      if (body && body.size != null) entry.bodyBytes = body.size;
      this.requests.push(entry);
      const sendBody = this.limit(req, body, entry);
      try {
        const res = await send(sendBody);
        entry.status = res.getStatus();
        entry.received = pick(RECEIVED, (n) => res.getHeader(n));
        if (entry.status >= 400) entry.body = res.getBody().slice(0, 500);
        return res;
      } catch (err) {
        entry.error = String(err && err.message ? err.message : err);
        throw err;
      }
    };
    return req;
  }

  limit(req, body, entry) {
    const cutAt = this.job.cutAfterBytes;
    if (cutAt == null || this.cutDone || body == null || body.size == null) return body;
    const start = Number(req.getHeader('Upload-Offset') ?? 0);
    const limit = cutAt - start;
    if (limit <= 0 || limit >= body.size) return body;
    this.cutDone = true;
    entry.cutAfter = limit;
    return cutBody(body, limit, (passed) => this.onCut(start + passed));
  }

  getName() {
    return 'RecordingHttpStack';
  }
}

async function run(job) {
  const result = { outcome: null, uploadUrl: null, size: null, offset: null, terminated: false };
  let upload;
  let stack;
  const finished = new Promise((resolve) => {
    const options = {
      endpoint: job.endpoint ?? null,
      uploadUrl: job.uploadUrl ?? null,
      metadata: job.metadata ?? {},
      headers: job.headers ?? {},
      parallelUploads: job.parallelUploads ?? 1,
      overridePatchMethod: Boolean(job.overridePatchMethod),
      uploadDataDuringCreation: Boolean(job.uploadDataDuringCreation),
      uploadLengthDeferred: Boolean(job.uploadLengthDeferred),
      retryDelays: job.retryDelays ?? [0, 300, 1000],
      protocol: job.protocol ?? 'tus-v1',
      storeFingerprintForResuming: Boolean(job.urlStorage),
      onChunkComplete: (_chunk, accepted) => { result.offset = accepted; },
      onSuccess: () => resolve('success'),
      onError: (err) => {
        result.error = {
          message: String(err.message ?? err),
          status: err.originalResponse ? err.originalResponse.getStatus() : null,
          body: err.originalResponse ? err.originalResponse.getBody().slice(0, 500) : null,
        };
        resolve('error');
      },
    };
    // tus-js-client hangs on chunkSize: undefined; only a number may be given.
    if (job.chunkSize != null) options.chunkSize = Number(job.chunkSize);
    if (job.urlStorage) {
      if (!fs.existsSync(job.urlStorage)) fs.writeFileSync(job.urlStorage, '{}');
      options.urlStorage = new tus.FileUrlStorage(job.urlStorage);
    }
    stack = new RecordingHttpStack(new tus.DefaultHttpStack(), job, (cutAt) => {
      result.cutAt = cutAt;
      // Let the bytes reach the server, then cut the connection as a lost network would.
      setTimeout(() => upload.abort(false).then(() => resolve('cut')), 300);
    });
    options.httpStack = stack;
    let input;
    if (job.asBuffer) {
      input = fs.readFileSync(job.file);
    } else {
      const file = fs.createReadStream(job.file);
      input = job.asStream ? file.pipe(new PassThrough()) : file;
    }
    upload = new tus.Upload(input, options);
  });

  if (job.resume) {
    const previous = await upload.findPreviousUploads();
    result.previousUploads = previous.length;
    if (previous.length > 0) upload.resumeFromPreviousUpload(previous[0]);
  }
  upload.start();
  const timeoutMs = job.timeoutMs ?? 45000;
  let timer;
  const timedOut = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
  result.outcome = await Promise.race([finished, timedOut]);
  clearTimeout(timer);
  if (result.outcome === 'timeout') await upload.abort(false);
  result.uploadUrl = upload.url;
  result.size = upload._size;
  if (job.terminate && upload.url) {
    try {
      await tus.Upload.terminate(upload.url, { headers: job.headers ?? {}, retryDelays: [0, 300, 1000],
        httpStack: stack, protocol: job.protocol ?? 'tus-v1' });
      result.terminated = true;
    } catch (err) {
      result.terminateError = String(err.message ?? err);
    }
  }
  result.requests = stack.requests;
  return result;
}

function print(result) {
  result.elapsedMs = Date.now() - started;
  process.stdout.write(JSON.stringify(result) + '\n');
}

run(readJob()).then((result) => {
  print(result);
  process.exit(0);
}, (err) => {
  print({ outcome: 'error', error: { message: String(err && err.stack ? err.stack : err) } });
  process.exit(1);
});
