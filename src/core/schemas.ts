import { type Static, type TSchema, Type } from 'typebox';
import { MAX_CURSOR } from '../lib/cursor.ts';

/** Shared schema primitives. Module schemas build on these so every API looks the same. */

export const Id = Type.String({ format: 'uuid', description: 'A UUID' });
export const Timestamp = Type.String({ format: 'date-time', description: 'ISO-8601 date-time, UTC' });

export const FieldErrorSchema = Type.Object({
  field: Type.String({
    description: 'Where the problem is: `body.`, `query.`, `params.` or `headers.` and the field, e.g. `body.title`',
  }),
  message: Type.String(),
});

/** The media type of every error our own APIs answer. */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** RFC 9457 problem details, the body of every error our own APIs return. */
export const Problem = Type.Object(
  {
    type: Type.String({ description: 'Always `about:blank`: the `code` says what happened' }),
    title: Type.String({ description: 'The HTTP status phrase' }),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.String({ description: 'The request path' }),
    code: Type.String({ description: 'Stable, machine-readable error code, e.g. `TASK_NOT_FOUND`' }),
    requestId: Type.String(),
    errors: Type.Optional(Type.Array(FieldErrorSchema)),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details (`application/problem+json`)' },
);

/** Reference to the shared `Problem` schema, for the error statuses a route can answer. */
export const ProblemRef = Type.Unsafe<Static<typeof Problem>>(Type.Ref('Problem'));

/**
 * `{ ...problemResponses(401, 404) }` in a route's `response` declares those errors in OpenAPI, as
 * the media type they are sent with (`application/problem+json`). Fastify serializes by the same
 * declaration, since the error handler sends that type.
 */
export function problemResponses(...statuses: number[]) {
  const response = {
    description: 'RFC 9457 problem details',
    content: { [PROBLEM_MEDIA_TYPE]: { schema: ProblemRef } },
  };
  return Object.fromEntries(statuses.map((status) => [status, response])) as Record<number, typeof response>;
}

/**
 * `{ ...preconditionFailedResponse(Note, 'note') }` in a route's `response`: the 412 of a write whose
 * problem carries the resource as it is now (`current`, see `checkIfMatch` in core/etag.ts).
 */
export function preconditionFailedResponse<T extends TSchema>(current: T, what: string) {
  const schema = Type.Object(
    { ...Problem.properties, current },
    { description: `The ${what} moved on: \`current\` is its present state (its ETag is \`"<current.version>"\`)` },
  );
  return {
    412: {
      description: `The ${what} moved on: merge with \`current\` and retry with its ETag`,
      content: { [PROBLEM_MEDIA_TYPE]: { schema } },
    },
  };
}

/** A page of a cursor-paginated list: `{ items, nextCursor }`; `example`, an item the docs show on it. */
export function Page<T extends TSchema>(item: T, example?: Static<T>) {
  return Type.Object(
    {
      items: Type.Array(item),
      nextCursor: Type.Union([Type.String(), Type.Null()], {
        description: 'Pass as `cursor` to get the next page; null on the last page',
      }),
    },
    example === undefined ? {} : { examples: [{ items: [example], nextCursor: null }] },
  );
}

/** `T` or null: a field that is always present but may be empty. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** The body of a 204 answer. */
export const NoContent = Type.Null({ description: 'No content' });

/** The opaque position of a keyset-paginated list (`lib/cursor.ts` checks what is inside). */
export const Cursor = Type.String({
  minLength: 1,
  maxLength: MAX_CURSOR,
  description: 'The `nextCursor` of the previous page',
});

/** Page size of a cursor-paginated list: 1–100, with a default per list. */
export const Limit = (defaultLimit: number) =>
  Type.Integer({ minimum: 1, maximum: 100, default: defaultLimit, description: 'Page size (at most 100)' });

/** The query of a cursor-paginated list: `limit` and `cursor`, to spread into a list's own query. */
export const PageQuery = (defaultLimit: number) =>
  Type.Object({ limit: Limit(defaultLimit), cursor: Type.Optional(Cursor) });
