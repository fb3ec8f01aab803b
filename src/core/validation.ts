import { AjvCompiler, type BuildCompilerFromPool } from '@fastify/ajv-compiler';
import type { FastifyServerOptions } from 'fastify';

// Report every invalid field at once, so a client can fix a form in one round trip.
const AJV_OPTIONS = { allErrors: true, useDefaults: true, removeAdditional: true } as const;

type BuildCompiler = BuildCompilerFromPool;
type Compile = ReturnType<BuildCompiler>;
// What Fastify hands a validator compiler at run time (the package's types name only the schema).
type RouteSchema = Parameters<Compile>[0] & { httpPart?: string };

/**
 * Two validators, by the part of the request. A query string, path parameters and headers arrive
 * as text, so their values are coerced to the declared types ('array' also makes `?tag=x` a list).
 * A JSON body carries its own types and is checked as sent: coercing it would let a nullable
 * field's `null` branch turn `""`, `0` or `false` into null — `"assigneeId": ""` would silently
 * unassign a task instead of answering 422.
 */
const buildValidator: BuildCompiler = (externalSchemas, serverOptions) => {
  const build = AjvCompiler();
  const withCoercion = (coerceTypes: 'array' | false) =>
    build(externalSchemas, { plugins: serverOptions?.plugins, customOptions: { ...AJV_OPTIONS, coerceTypes } });
  const fromText = withCoercion('array');
  const fromJson = withCoercion(false);
  return ((route: RouteSchema) => (route.httpPart === 'body' ? fromJson : fromText)(route)) as Compile;
};

export const schemaController: NonNullable<FastifyServerOptions['schemaController']> = {
  compilersFactory: { buildValidator },
};
