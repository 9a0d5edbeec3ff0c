/**
 * The one JSON body parser of the server: Fastify's own (prototype-poisoning refused), behind a
 * nesting cap. JSON.parse itself copes with deep nesting, but everything after it (validation,
 * template evaluation, canonical JSON, the stores) walks values recursively, so a body nested
 * thousands deep would overflow the stack there; it is refused first, with a clear 400.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalid } from '../core/errors.js';
import { jsonNestingDepth, MAX_NESTING_DEPTH } from '../core/nesting.js';
import { parseTemplateJson } from '../core/templates/index.js';

/**
 * Replaces `scope`'s JSON parser by the capped one; `emptyIsUndefined` lets an empty body through
 * (ARM clients POST actions with `content-type: application/json` and no body). `jsonc` also reads
 * what ARM's deployments endpoint reads and strict JSON refuses: comments, trailing commas, bare
 * property names (the az CLI splices the template file's text in as `…, template: {…}}`).
 */
export function registerJsonBodyParser(scope: FastifyInstance, options: { readonly emptyIsUndefined: boolean; readonly jsonc?: boolean }): void {
  const json = scope.getDefaultJsonParser('error', 'error');
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request: FastifyRequest, body, done) => {
    const text = body as string;
    if (text === '' && options.emptyIsUndefined) return done(null, undefined);
    if (jsonNestingDepth(text) > MAX_NESTING_DEPTH) {
      return done(invalid('InvalidRequestContent', `The request content nests objects and arrays more than ${MAX_NESTING_DEPTH} levels deep.`, 'body'), undefined);
    }
    void json(request, text, (error, value) => {
      if (!error || options.jsonc !== true) return done(error ?? null, value);
      try {
        done(null, parseTemplateJson(text));
      } catch {
        done(error, undefined);
      }
    });
  });
}
