/*
 * Resumable uploads for the resumable-upload server, in plain JavaScript (no build step).
 *
 * The protocol is the article's: GET status (X-File-Id) answers how many bytes the server has stored;
 * POST upload (X-File-Id, X-Start-Byte) appends the body from that offset. This client also sends
 * X-File-Size and X-File-Name, cuts the file into chunks so that every chunk is confirmed (and works
 * behind proxies that buffer request bodies), and gives each chunk an RFC 9530 Content-Digest.
 *
 * ResumableUpload  one file: asks the server's offset before every attempt, sends chunks, retries.
 * UploadQueue      runs a few uploads at a time, the rest wait.
 * PendingUploads   remembers unfinished uploads in localStorage across reloads.
 */
(function (global) {
  'use strict';

  const MiB = 1024 * 1024;

  const DEFAULTS = Object.freeze({
    chunkSize: 16 * MiB,       // big enough that a fast link is not slowed by per-chunk round trips
    parallel: 3,               // uploads running at once; the rest are queued
    backoffMs: [1000, 2000, 4000, 8000, 16000, 30000],
    stallTimeoutMs: 30000,     // no progress for this long: the connection is treated as lost
    digestRetries: 3,          // a chunk refused for its digest is sent again this many times
    baseUrl: '',               // '' = relative to the page (status, upload, files)
  });

  /** The article's file id: the same file picked again gets the same id. */
  function fileIdOf(file) {
    return file.name + '-' + file.size + '-' + file.lastModified;
  }

  function toBase64(buffer) {
    let binary = '';
    const bytes = new Uint8Array(buffer);
    for (let i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(binary);
  }

  /** RFC 9530 Content-Digest of a chunk, or null where WebCrypto is unavailable (plain http off localhost). */
  async function contentDigest(blob) {
    if (!(global.crypto && global.crypto.subtle)) {
      return null;
    }
    const digest = await global.crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
    return 'sha-256=:' + toBase64(digest) + ':';
  }

  class HttpError extends Error {
    constructor(status, reason, offset) {
      super(reason || ('HTTP ' + status));
      this.status = status;
      this.offset = offset;
    }
  }

  class NetworkError extends Error {}
  class Aborted extends Error {}

  /**
   * One file's upload. Events (via onChange) carry the whole state; the UI renders it.
   * States: queued, uploading, paused, offline, retrying, verifying, done, failed.
   */
  class ResumableUpload {
    constructor(file, options) {
      this.options = Object.assign({}, DEFAULTS, options || {});
      this.file = file;
      this.id = fileIdOf(file);
      this.size = file.size;
      this.confirmed = 0;     // bytes the server said it stored
      this.sent = 0;          // bytes handed to the network (may run ahead of confirmed)
      this.state = 'queued';
      this.error = null;
      this.nextAttemptAt = null;
      this.result = null;     // the server's completion answer: {id, name, size, sha256, completedAt}
      this.onChange = () => {};
      this.xhr = null;
      this.attempt = 0;
      this.wake = null;
      this.runs = 0;          // counts run() calls: an older run that outlived a pause must stop
      this.speed = new SpeedMeter();
    }

    get active() {
      return ['uploading', 'offline', 'retrying', 'verifying'].includes(this.state);
    }

    get finished() {
      return ['done', 'failed', 'cancelled'].includes(this.state);
    }

    /** Runs until done, failed, paused or cancelled. Never restarts from 0 unless the server says 0. */
    async run() {
      const run = ++this.runs;
      // Paused, cancelled, or paused and resumed (a newer run took over) while this one awaited.
      const stopped = () => this.state === 'paused' || this.finished || this.runs !== run;
      this.error = null;
      this.set('uploading');
      while (!stopped()) {
        try {
          if (this.options.isOffline && this.options.isOffline()) {
            throw new NetworkError('offline');
          }
          const stored = await this.status();
          if (stopped()) {
            return;
          }
          this.confirmed = stored;
          this.sent = stored;
          this.set('uploading');
          await this.sendFrom(this.confirmed, stopped);
          return;
        } catch (e) {
          if (e instanceof Aborted || stopped()) {
            return;
          }
          if (e instanceof HttpError && !isRetryable(e.status)) {
            this.error = e.message;
            this.set('failed');
            return;
          }
          await this.backOff(e);
        }
      }
    }

    pause() {
      if (this.finished) return;
      this.sent = this.confirmed;   // a chunk cut short is discarded by the server: only confirmed bytes count
      this.set('paused');
      this.abortRequest();
    }

    cancel() {
      this.set('cancelled');
      this.abortRequest();
    }

    /** The network came back (or the user asked): stop waiting and try at once. */
    retryNow() {
      if (this.wake) this.wake();
    }

    /** The network went away: drop the request in flight; run() waits for it to return. */
    networkLost() {
      if (this.state === 'uploading' || this.state === 'verifying') {
        this.abortRequest(new NetworkError('offline'));
      }
    }

    async status() {
      const response = await fetch(this.options.baseUrl + 'status', {
        headers: { 'X-File-Id': encodeURIComponent(this.id) },
        cache: 'no-store',
        credentials: 'same-origin',
      }).catch((e) => { throw new NetworkError(e.message); });
      if (response.status !== 200) {
        throw new HttpError(response.status, (await response.text()).split('\n')[0]);
      }
      return +(await response.text());
    }

    async sendFrom(offset, stopped) {
      let digestRetries = 0;
      let next = null; // the digest of the chunk expected next, computed while this one is sent
      const digestOf = (start, end) => (next && next.start === start && next.end === end
        ? next.digest : contentDigest(this.file.slice(start, end)));
      // An empty file still needs one (empty) request to complete.
      do {
        const end = Math.min(offset + this.options.chunkSize, this.size);
        const chunk = this.file.slice(offset, end);
        const isLast = end === this.size;
        const digest = await digestOf(offset, end);
        next = null;
        if (stopped()) throw new Aborted();
        if (!isLast) {
          const nextEnd = Math.min(end + this.options.chunkSize, this.size);
          next = { start: end, end: nextEnd, digest: contentDigest(this.file.slice(end, nextEnd)) };
          next.digest.catch(() => {}); // a failure surfaces when (if) that chunk is sent
        }
        let answer;
        try {
          answer = await this.post(offset, chunk, digest, isLast);
        } catch (e) {
          if (e instanceof HttpError && e.status === 409 && e.offset !== undefined) {
            offset = e.offset;            // the server knows better: continue from its offset
            this.confirmed = offset;
            continue;
          }
          if (e instanceof HttpError && e.status === 400 && /Content-Digest/.test(e.message)
              && digestRetries < this.options.digestRetries) {
            digestRetries++;               // damaged on the way: the server discarded it, send it again
            this.sent = offset;
            continue;
          }
          throw e;
        }
        digestRetries = 0;
        this.attempt = 0;
        offset = answer.offset;
        this.confirmed = offset;
        this.sent = Math.max(this.sent, offset);
        this.speed.add(this.confirmed);
        if (answer.completed) {
          this.result = answer.completed;
          this.confirmed = this.size;
          this.set('done');
          return;
        }
        this.set('uploading');
      } while (offset < this.size || this.size === 0);
    }

    post(offset, chunk, digest, isLast) {
      return new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        this.xhr = xhr;
        xhr.open('POST', this.options.baseUrl + 'upload', true);
        xhr.setRequestHeader('X-File-Id', encodeURIComponent(this.id));
        xhr.setRequestHeader('X-Start-Byte', String(offset));
        xhr.setRequestHeader('X-File-Size', String(this.size));
        xhr.setRequestHeader('X-File-Name', encodeURIComponent(this.file.name));
        if (digest) xhr.setRequestHeader('Content-Digest', digest);
        let stallTimer = null;
        const stalled = () => {
          clearTimeout(stallTimer);
          stallTimer = setTimeout(() => this.abortRequest(new NetworkError('no progress')),
              this.options.stallTimeoutMs);
        };
        xhr.upload.onprogress = (e) => {
          stalled();
          this.sent = offset + e.loaded;
          this.speed.add(this.sent);
          if (isLast && e.loaded === e.total) {
            this.set('verifying');   // all bytes sent: the server checks and completes
          } else {
            this.changed();
          }
        };
        xhr.onload = () => {
          clearTimeout(stallTimer);
          this.xhr = null;
          const stored = xhr.getResponseHeader('Upload-Offset');
          if (xhr.status === 200) {
            resolve({ offset: this.size, completed: JSON.parse(xhr.responseText) });
          } else if (xhr.status === 204) {
            resolve({ offset: +stored, completed: null });
          } else {
            reject(new HttpError(xhr.status, xhr.responseText.split('\n')[0],
                stored === null ? undefined : +stored));
          }
        };
        xhr.onerror = () => {
          clearTimeout(stallTimer);
          this.xhr = null;
          reject(new NetworkError('connection lost'));
        };
        xhr.onabort = () => {
          clearTimeout(stallTimer);
          this.xhr = null;
          reject(xhr.abortReason || new Aborted());
        };
        stalled();
        xhr.send(chunk);
      });
    }

    abortRequest(reason) {
      if (this.xhr) {
        this.xhr.abortReason = reason;
        this.xhr.abort();
      }
      if (this.wake) this.wake();
    }

    async backOff(error) {
      const offline = this.options.isOffline && this.options.isOffline();
      const delays = this.options.backoffMs;
      const delay = delays[Math.min(this.attempt, delays.length - 1)];
      this.attempt++;
      this.error = error.message;
      this.sent = this.confirmed;   // what was sent of the lost chunk is not stored
      this.nextAttemptAt = offline ? null : Date.now() + delay;
      this.set(offline ? 'offline' : 'retrying');
      await new Promise((resolve) => {
        const timer = offline ? null : setTimeout(resolve, delay);
        this.wake = () => { clearTimeout(timer); resolve(); };
      });
      this.wake = null;
      this.nextAttemptAt = null;
    }

    set(state) {
      if (this.finished && state !== this.state) return;  // done/failed/cancelled are final
      this.state = state;
      this.changed();
    }

    changed() {
      this.onChange(this);
    }
  }

  function isRetryable(status) {
    // 408 idle, 409 superseded by another tab, 5xx (503 busy, stopping or storage unavailable) and
    // 507 disk full: the server may recover; the next attempt asks status for the stored offset first.
    return status === 408 || status === 409 || status === 429 || status >= 500;
  }

  /** Bytes per second over the last few seconds. */
  class SpeedMeter {
    constructor() {
      this.samples = [];
    }

    add(bytes) {
      const now = performance.now();
      this.samples.push([now, bytes]);
      while (this.samples.length > 2 && now - this.samples[0][0] > 5000) this.samples.shift();
    }

    bytesPerSecond() {
      if (this.samples.length < 2) return 0;
      const [t0, b0] = this.samples[0];
      const [t1, b1] = this.samples[this.samples.length - 1];
      return t1 > t0 ? Math.max(0, (b1 - b0) * 1000 / (t1 - t0)) : 0;
    }
  }

  /** Runs at most `parallel` uploads at once; the rest wait in order. */
  class UploadQueue {
    constructor(options) {
      this.options = Object.assign({}, DEFAULTS, options || {});
      this.uploads = [];
      this.onChange = () => {};
    }

    add(file) {
      const id = fileIdOf(file);
      const existing = this.uploads.find((u) => u.id === id && !u.finished);
      if (existing) return existing;
      const upload = new ResumableUpload(file, this.options);
      upload.onChange = (u) => {
        this.onChange(u);
        if (!u.active) this.pump();
      };
      this.uploads.push(upload);
      this.onChange(upload);
      this.pump();
      return upload;
    }

    resume(upload) {
      if (upload.state === 'paused' || upload.state === 'failed') {
        upload.state = 'queued';
        upload.error = null;
        upload.changed();
        this.pump();
      }
    }

    remove(upload) {
      upload.cancel();
      this.uploads = this.uploads.filter((u) => u !== upload);
      this.pump();
    }

    networkLost() {
      this.uploads.forEach((u) => u.networkLost());
    }

    networkBack() {
      this.uploads.forEach((u) => u.retryNow());
    }

    pump() {
      let running = this.uploads.filter((u) => u.active).length;
      for (const upload of this.uploads) {
        if (running >= this.options.parallel) break;
        if (upload.state === 'queued') {
          running++;
          upload.run();
        }
      }
    }
  }

  /** Unfinished uploads, kept in localStorage so a reload or a new browser session can resume them. */
  class PendingUploads {
    constructor(storage, key) {
      this.storage = storage;
      this.key = key || 'resumable-upload.pending';
    }

    list() {
      try {
        const entries = JSON.parse(this.storage.getItem(this.key) || '[]');
        return Array.isArray(entries) ? entries : [];
      } catch (e) {
        return [];
      }
    }

    remember(file) {
      const id = fileIdOf(file);
      const entries = this.list().filter((e) => e.id !== id);
      entries.push({ id, name: file.name, size: file.size, lastModified: file.lastModified, addedAt: Date.now() });
      this.save(entries);
    }

    forget(id) {
      this.save(this.list().filter((e) => e.id !== id));
    }

    save(entries) {
      try {
        this.storage.setItem(this.key, JSON.stringify(entries));
      } catch (e) {
        // Storage full or disabled: resuming after a reload is then not offered, uploads still work.
      }
    }
  }

  global.ResumableUploads = { ResumableUpload, UploadQueue, PendingUploads, fileIdOf, DEFAULTS };
})(window);
