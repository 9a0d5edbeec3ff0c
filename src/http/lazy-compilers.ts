/**
 * Request validators and response serializers compiled on a route's first use instead of at
 * start-up: the same Ajv validators and fast-json-stringify functions Fastify builds by default
 * (the same coercion, defaults, errors, output and stripping of undeclared fields), but a server
 * with several hundred routes starts in seconds less, most of them never called in a given run.
 */
import AjvCompiler from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifySchemaCompiler, FastifyServerOptions } from 'fastify';

type SerializerFactory = ReturnType<typeof SerializerSelector>;
type ValidatorFactory = NonNullable<NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator']>;
type Validate = ((data: unknown) => unknown) & { errors?: unknown };

/** A validator compiler whose validators are compiled when first called (Fastify reads `errors` off the function). */
export function lazyValidatorCompiler<S>(compile: FastifySchemaCompiler<S>): FastifySchemaCompiler<S> {
  return (route) => {
    let validate: Validate | undefined;
    const lazy: Validate = (data: unknown) => {
      validate ??= compile(route) as Validate;
      const result = validate(data);
      lazy.errors = validate.errors;
      return result;
    };
    return lazy as ReturnType<FastifySchemaCompiler<S>>;
  };
}

/** A `compilersFactory.buildValidator` for Fastify whose validators compile when first used. */
// The package's types describe Ajv's own compile; at run time it is the route-schema compiler Fastify uses by default.
export const buildLazyValidator = ((externalSchemas: never, options: never) =>
  lazyValidatorCompiler(AjvCompiler()(externalSchemas, options) as unknown as FastifySchemaCompiler<unknown>)) as unknown as ValidatorFactory;

/** A `compilersFactory.buildSerializer` for Fastify whose serializers compile when first used. */
export const buildLazySerializer: SerializerFactory = (externalSchemas, options) => {
  const compile = SerializerSelector()(externalSchemas, options);
  return (route) => {
    let serialize: ((doc: unknown) => string) | undefined;
    return (doc: unknown) => (serialize ??= compile(route))(doc);
  };
};
