// A server that answers every request at once with the spec example of the operation it matches.
// Runs in its own process so that the benchmark's client process measures only client work.
// argv[2]: a JSON file of routes [{ method, pattern, status, body }]; prints the port when ready.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const routes = JSON.parse(readFileSync(process.argv[2], 'utf8')).map((r) => ({
  ...r,
  re: new RegExp(r.pattern),
  payload: r.body === undefined ? undefined : Buffer.from(JSON.stringify(r.body)),
}));
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const path = req.url.split('?')[0];
    const route = routes.find((r) => r.method === req.method && r.re.test(path));
    if (!route) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end('{"message":"no route"}');
    }
    if (!route.payload) {
      res.writeHead(route.status);
      return res.end();
    }
    res.writeHead(route.status, { 'content-type': 'application/json', 'content-length': route.payload.length });
    res.end(route.payload);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
