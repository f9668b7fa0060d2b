// Baseline (c): @tus/server with @tus/file-store, as its README sets it up.
// Usage: node tus-server.mjs DIR PORTFILE   (listens on 127.0.0.1, any free port; writes the port to PORTFILE)
import http from 'node:http';
import fs from 'node:fs';
import { Server } from '@tus/server';
import { FileStore } from '@tus/file-store';

const [dir, portFile] = process.argv.slice(2);
if (!dir || !portFile) {
  console.error('usage: node tus-server.mjs DIR PORTFILE');
  process.exit(2);
}
fs.mkdirSync(dir, { recursive: true });
const tus = new Server({ path: '/files', datastore: new FileStore({ directory: dir }) });
const server = http.createServer((req, res) => tus.handle(req, res));
server.requestTimeout = 0; // a 4 GiB PATCH takes longer than node's default 5 minutes on a slow day
server.listen(0, '127.0.0.1', () => {
  fs.writeFileSync(portFile, String(server.address().port));
  console.log('tus server on port ' + server.address().port + ', storing in ' + dir);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
