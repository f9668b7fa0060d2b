/*
 * The upload page: wires ResumableUploads (uploader.js) to the DOM. Settings come from the page's
 * query string (?chunkSize=1048576&parallel=3) so they can be tried without editing files.
 */
(function () {
  'use strict';

  const { UploadQueue, PendingUploads, fileIdOf, DEFAULTS } = window.ResumableUploads;
  const $ = (selector, root) => (root || document).querySelector(selector);

  const params = new URLSearchParams(location.search);
  const positive = (name, fallback) => {
    const value = Number(params.get(name));
    return Number.isFinite(value) && value > 0 ? value : fallback;
  };

  const STATE_TEXT = {
    queued: 'Queued',
    uploading: 'Uploading',
    paused: 'Paused',
    offline: 'Waiting for network',
    retrying: 'Retrying',
    verifying: 'Verifying',
    done: 'Done',
    failed: 'Failed',
    cancelled: 'Cancelled',
  };

  const pending = new PendingUploads(window.localStorage);
  const queue = new UploadQueue({
    chunkSize: positive('chunkSize', DEFAULTS.chunkSize),
    parallel: positive('parallel', DEFAULTS.parallel),
    isOffline: () => navigator.onLine === false,
  });
  const rows = new Map();
  const announced = new Map();

  function formatBytes(bytes) {
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let value = bytes;
    let unit = 0;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit++;
    }
    return (unit === 0 ? value : value.toFixed(value < 10 ? 2 : 1)) + ' ' + units[unit];
  }

  function formatDuration(seconds) {
    if (!Number.isFinite(seconds) || seconds <= 0) return '';
    if (seconds < 60) return Math.ceil(seconds) + ' s';
    if (seconds < 3600) return Math.floor(seconds / 60) + ' min ' + Math.ceil(seconds % 60) + ' s';
    return Math.floor(seconds / 3600) + ' h ' + Math.floor((seconds % 3600) / 60) + ' min';
  }

  function announce(text) {
    $('#announcer').textContent = text;
  }

  function stateText(upload) {
    let text = STATE_TEXT[upload.state] || upload.state;
    if (upload.state === 'retrying' && upload.nextAttemptAt) {
      text += ' at ' + new Date(upload.nextAttemptAt).toLocaleTimeString();
    }
    if ((upload.state === 'failed' || upload.state === 'retrying') && upload.error) {
      text += ': ' + upload.error;
    }
    return text;
  }

  function rowFor(upload) {
    let row = rows.get(upload);
    if (row) return row;
    row = $('#upload-row').content.firstElementChild.cloneNode(true);
    row.dataset.fileId = upload.id;
    $('.name', row).textContent = upload.file.name;
    $('progress', row).setAttribute('aria-label', 'Upload of ' + upload.file.name);
    $('.pause', row).setAttribute('aria-label', 'Pause ' + upload.file.name);
    $('.resume', row).setAttribute('aria-label', 'Resume ' + upload.file.name);
    $('.cancel', row).setAttribute('aria-label', 'Cancel ' + upload.file.name);
    $('.pause', row).addEventListener('click', () => upload.pause());
    $('.resume', row).addEventListener('click', () => queue.resume(upload));
    $('.cancel', row).addEventListener('click', () => {
      queue.remove(upload);
      pending.forget(upload.id);
      const hadFocus = row.contains(document.activeElement);
      row.remove();
      $('#uploads-section').hidden = $('#uploads').children.length === 0;
      if (hadFocus) $('#file-input').focus();
      rows.delete(upload);
      announce(upload.file.name + ': cancelled');
      renderPending();
    });
    $('#uploads').append(row);
    $('#uploads-section').hidden = false;
    rows.set(upload, row);
    return row;
  }

  function render(upload) {
    if (upload.state === 'cancelled') return;
    const row = rowFor(upload);
    row.dataset.state = upload.state;
    const bar = $('progress', row);
    bar.max = Math.max(upload.size, 1);
    bar.value = upload.size === 0 && upload.state === 'done' ? 1 : upload.confirmed;
    const sentAhead = $('.sent', row);
    sentAhead.style.width = (upload.size ? (100 * upload.sent / upload.size) : 0) + '%';
    $('.bytes', row).textContent = formatBytes(upload.confirmed) + ' of ' + formatBytes(upload.size) + ' stored'
        + (upload.sent > upload.confirmed ? ' (' + formatBytes(upload.sent) + ' sent)' : '');
    const speed = upload.speed.bytesPerSecond();
    const running = upload.state === 'uploading' || upload.state === 'verifying';
    $('.speed', row).textContent = running && speed > 0 ? formatBytes(speed) + '/s' : '';
    $('.eta', row).textContent = running && speed > 0
        ? formatDuration((upload.size - upload.sent) / speed) + ' left' : '';
    $('.state', row).textContent = stateText(upload);
    const focused = row.contains(document.activeElement) ? document.activeElement : null;
    $('.pause', row).hidden = !upload.active && upload.state !== 'queued';
    $('.resume', row).hidden = !(upload.state === 'paused' || upload.state === 'failed');
    $('.cancel', row).hidden = upload.state === 'done';
    if (focused && focused.hidden) {
      // The button just pressed (or focused) went away: keep the keyboard user in this row.
      const next = ['.resume', '.pause', '.cancel'].map((s) => $(s, row)).find((b) => !b.hidden);
      if (next) {
        next.focus();
      } else {
        row.tabIndex = -1;
        row.focus();
      }
    }
    if (upload.state === 'done' && upload.result) {
      $('.sha256', row).textContent = 'SHA-256 ' + upload.result.sha256;
      $('.sha256', row).hidden = false;
    }
    // Announce state changes and every quarter of progress, not every tick.
    const quarter = upload.size ? Math.floor(4 * upload.confirmed / upload.size) : 0;
    const key = upload.state + ':' + quarter;
    if (announced.get(upload) !== key) {
      announced.set(upload, key);
      announce(upload.file.name + ': ' + stateText(upload)
          + (upload.state === 'uploading' ? ', ' + Math.floor(100 * upload.confirmed / Math.max(upload.size, 1)) + '%' : ''));
    }
    if (upload.state === 'done') {
      pending.forget(upload.id);
      renderPending();
      loadCompleted();
    }
  }

  async function addFiles(files) {
    await ready; // the first request gets the owner cookie; uploads wait so parallel ones share one owner
    for (const file of files) {
      pending.remember(file);
      queue.add(file);
    }
    renderPending();
  }

  async function renderPending() {
    const list = $('#pending-list');
    const active = new Set(queue.uploads.filter((u) => !u.finished).map((u) => u.id));
    const entries = pending.list().filter((e) => !active.has(e.id));
    $('#pending').hidden = entries.length === 0;
    list.replaceChildren();
    for (const entry of entries) {
      const item = document.createElement('li');
      item.dataset.fileId = entry.id;
      item.textContent = entry.name + ' (' + formatBytes(entry.size) + ')';
      const forget = document.createElement('button');
      forget.type = 'button';
      forget.textContent = 'Forget';
      forget.setAttribute('aria-label', 'Forget ' + entry.name);
      forget.addEventListener('click', () => { pending.forget(entry.id); renderPending(); });
      item.append(' ', forget);
      list.append(item);
      fetch('status', { headers: { 'X-File-Id': encodeURIComponent(entry.id) }, cache: 'no-store' })
          .then((r) => (r.ok ? r.text() : null))
          .then((stored) => {
            if (stored !== null) {
              item.firstChild.textContent = entry.name + ': ' + formatBytes(+stored) + ' of '
                  + formatBytes(entry.size) + ' stored; pick it again to resume';
            }
          })
          .catch(() => {});
    }
  }

  async function loadCompleted() {
    let files;
    try {
      const response = await fetch('files', { cache: 'no-store' });
      if (!response.ok) return;
      files = await response.json();
    } catch (e) {
      return;
    }
    const body = $('#completed-list');
    body.replaceChildren();
    for (const file of files) {
      const row = $('#completed-row').content.firstElementChild.cloneNode(true);
      const link = $('a', row);
      link.href = 'files/' + encodeURIComponent(file.id);
      link.textContent = file.name;
      link.setAttribute('download', file.name);
      $('.size', row).textContent = formatBytes(file.size);
      $('.sha256', row).textContent = file.sha256;
      $('.time', row).textContent = new Date(file.completedAt).toLocaleString();
      body.append(row);
    }
    $('#completed').hidden = files.length === 0;
  }

  function wireDropZone() {
    const zone = $('#drop-zone');
    const input = $('#file-input');
    input.addEventListener('change', () => {
      addFiles(Array.from(input.files));
      input.value = '';
    });
    ['dragenter', 'dragover'].forEach((type) => zone.addEventListener(type, (e) => {
      e.preventDefault();
      zone.classList.add('dragging');
    }));
    ['dragleave', 'drop'].forEach((type) => zone.addEventListener(type, () => zone.classList.remove('dragging')));
    zone.addEventListener('drop', (e) => {
      e.preventDefault();
      addFiles(Array.from(e.dataTransfer.files));
    });
  }

  const ready = loadCompleted();
  queue.onChange = render;
  window.addEventListener('offline', () => queue.networkLost());
  window.addEventListener('online', () => queue.networkBack());
  wireDropZone();
  renderPending();
  window.uploadApp = { queue, pending, ready, fileIdOf };
})();
