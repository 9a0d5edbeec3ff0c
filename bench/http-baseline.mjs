// The bare server of the HTTP benchmark: Fastify answering, for each request the bench makes, the
// very body Lantern answered it with, behind a trivial bearer check. What Lantern costs beyond
// this is what Lantern does. Usage: node bench/http-baseline.mjs ROUTES.json CERT KEY (prints the ports).
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const [routesFile, certFile, keyFile] = process.argv.slice(2);
const { token, routes } = JSON.parse(readFileSync(routesFile, 'utf8'));

function build(https) {
  const app = Fastify({ logger: false, ...(https ? { https } : {}) });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.all('*', (request, reply) => {
    // A numbered path (a new resource per request) answers as its `{n}` route.
    const route = routes[`${request.method} ${request.url}`] ?? routes[`${request.method} ${request.url.replace(/\d+(?=\?)/, '{n}')}`];
    if (!route) return reply.code(404).send({ error: { code: 'NotFound' } });
    if (!route.anonymous && request.headers.authorization !== `Bearer ${token}`) return reply.code(401).send({ error: { code: 'AuthenticationFailed' } });
    return reply.code(route.status).header('content-type', route.contentType).send(route.body);
  });
  return app;
}

const http = build(undefined);
const https = build({ cert: readFileSync(certFile), key: readFileSync(keyFile) });
await http.listen({ host: '127.0.0.1', port: 0 });
await https.listen({ host: '127.0.0.1', port: 0 });
console.log(JSON.stringify({ http: http.server.address().port, https: https.server.address().port }));
