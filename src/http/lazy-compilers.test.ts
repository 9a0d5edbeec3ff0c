import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifySchemaValidationError } from 'fastify';
import { buildLazySerializer, buildLazyValidator, lazyValidatorCompiler } from './lazy-compilers.js';

describe('lazy schema compilers', () => {
  it('compiles a validator on its first call and hands Fastify its errors', () => {
    let compiled = 0;
    const validator = lazyValidatorCompiler(() => {
      compiled++;
      const validate = (data: unknown) => {
        validate.errors = typeof data === 'number' ? null : [{ message: 'must be number', instancePath: '', schemaPath: '#/type', keyword: 'type', params: {} }];
        return validate.errors === null;
      };
      validate.errors = null as FastifySchemaValidationError[] | null;
      return validate;
    })({ schema: {}, method: 'GET', url: '/', httpPart: 'body' }) as ((data: unknown) => unknown) & { errors?: unknown };
    assert.equal(compiled, 0, 'nothing compiled before the first request');
    assert.equal(validator('x'), false);
    assert.equal((validator.errors as FastifySchemaValidationError[])[0]?.message, 'must be number');
    assert.equal(validator(1), true);
    assert.equal(validator.errors, null);
    assert.equal(compiled, 1, 'compiled once');
  });

  it('validates, coerces, fills defaults and serialises as Fastify does by default', async () => {
    const app = Fastify({ schemaController: { compilersFactory: { buildValidator: buildLazyValidator, buildSerializer: buildLazySerializer } } });
    app.get('/n', {
      schema: {
        querystring: { type: 'object', properties: { n: { type: 'integer' }, mode: { type: 'string', default: 'all' } }, required: ['n'] },
        response: { 200: { type: 'object', properties: { n: { type: 'integer' }, mode: { type: 'string' } } } },
      },
    }, (request) => ({ ...(request.query as object), secret: 'not declared, so not sent' }));
    const ok = await app.inject({ url: '/n?n=42' });
    assert.deepEqual(ok.json(), { n: 42, mode: 'all' }, 'coerced, defaulted, undeclared field stripped');
    const bad = await app.inject({ url: '/n?n=x' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json<{ message: string }>().message, /querystring\/n must be integer/);
    await app.close();
  });
});
