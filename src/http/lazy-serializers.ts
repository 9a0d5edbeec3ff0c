/**
 * Response serializers compiled on a route's first response instead of at start-up: the same
 * fast-json-stringify functions Fastify builds by default (the same output and stripping of
 * undeclared fields), but a server with several hundred response schemas starts in about a
 * second less, most of them never answered in a given run.
 */
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

type SerializerFactory = ReturnType<typeof SerializerSelector>;

/** A `compilersFactory.buildSerializer` for Fastify whose serializers compile when first used. */
export const buildLazySerializer: SerializerFactory = (externalSchemas, options) => {
  const compile = SerializerSelector()(externalSchemas, options);
  return (route) => {
    let serialize: ((doc: unknown) => string) | undefined;
    return (doc: unknown) => (serialize ??= compile(route))(doc);
  };
};
