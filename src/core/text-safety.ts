import { Transform } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, unprocessable } from './errors.ts';

/**
 * One rule for every route: text the service receives must be valid Unicode that PostgreSQL can
 * store. A NUL byte (PostgreSQL refuses 0x00 in text), invalid UTF-8, or a lone UTF-16 surrogate
 * (`\ud800` in JSON; not encodable as UTF-8) in the path, the query, a header or a text body is a
 * 400 `INVALID_TEXT` before any handler runs, never a 500 from deep inside a query.
 *
 * Numbers that are not finite (coerced from `?limit=1e309`) are a 422 on their field.
 *
 * Bodies are checked twice: their raw bytes as UTF-8 while they stream in (JSON and other text
 * types; binary uploads are left alone), and the parsed values for the escapes JSON allows
 * (`\u0000`, lone `\udXXX`) that are valid bytes but not valid text.
 */

// A NUL, or a surrogate half without its partner.
const BAD_CHARACTER = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const NON_ASCII = /[\u0080-\uffff]/;
const TEXT_BODY = /^(application\/([\w.+-]*\+)?json|text\/|application\/x-www-form-urlencoded)/i;
const MAX_DEPTH = 64;

const invalid = (where: string) =>
  new AppError(400, 'INVALID_TEXT', `The ${where} contains a NUL byte, invalid UTF-8 or an unpaired surrogate`);

/** The bytes a URL's characters and %XX escapes stand for. */
function urlBytes(url: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < url.length; i++) {
    const code = url.charCodeAt(i);
    if (code === 37 /* % */ && /^[0-9A-Fa-f]{2}$/.test(url.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(url.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (code < 0x80) {
      bytes.push(code);
    } else {
      // Node hands raw non-ASCII request-target bytes over as latin1 characters.
      bytes.push(code & 0xff);
    }
  }
  return Buffer.from(bytes);
}

const isValidText = (bytes: Buffer) => !bytes.includes(0) && isUtf8(bytes);

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Whether any string in a parsed body (keys included) is not valid text. */
function hasBadText(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return BAD_CHARACTER.test(value);
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) return value.some((item) => hasBadText(item, depth + 1));
  if (Buffer.isBuffer(value)) return false;
  for (const [key, item] of Object.entries(value)) {
    if (BAD_CHARACTER.test(key) || hasBadText(item, depth + 1)) return true;
  }
  return false;
}

/** The path of the first number in `value` that is NaN or infinite, or undefined. */
function nonFiniteAt(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH || Buffer.isBuffer(value)) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = nonFiniteAt(item, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function checkRequestLine(request: FastifyRequest) {
  const url = request.raw.url ?? '';
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  if (!isValidText(urlBytes(path))) throw invalid('path');
  if (queryAt !== -1 && !isValidText(urlBytes(url.slice(queryAt + 1)))) throw invalid('query');
  const raw = request.raw.rawHeaders;
  for (let i = 1; i < raw.length; i += 2) {
    const value = raw[i] as string;
    // Header values arrive as latin1; anything beyond ASCII must be UTF-8 underneath.
    if (value.includes('\0') || (NON_ASCII.test(value) && !isUtf8(Buffer.from(value, 'latin1')))) {
      throw invalid(`header ${raw[i - 1]}`);
    }
  }
}

/** Passes the body through unchanged, failing the stream at the first byte that is not UTF-8. */
function utf8Checked(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        decoder.decode(chunk, { stream: true });
        callback(null, chunk);
      } catch {
        callback(invalid('body'));
      }
    },
    flush(callback) {
      try {
        decoder.decode();
        callback();
      } catch {
        callback(invalid('body'));
      }
    },
  });
}

export const textSafetyPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('onRequest', async (request) => checkRequestLine(request));
    app.addHook('preParsing', async (request, _reply, payload) => {
      const type = request.headers['content-type'];
      if (!type || !TEXT_BODY.test(type)) return payload;
      const checked = utf8Checked();
      payload.on('error', (error) => checked.destroy(error));
      return payload.pipe(checked);
    });
    app.addHook('preValidation', async (request) => {
      if (hasBadText(request.body)) throw invalid('body');
    });
    // Ajv's type coercion turns "1e309" into Infinity and lets it through `integer` and `maximum`
    // alike: no client means a number it cannot write in JSON, and SQL refuses it.
    app.addHook('preHandler', async (request) => {
      for (const [part, value] of [
        ['query', request.query],
        ['params', request.params],
        ['body', request.body],
      ] as const) {
        const field = nonFiniteAt(value, part);
        if (field) throw unprocessable([{ field, message: 'must be a finite number' }]);
      }
    });
  },
  { name: 'text-safety' },
);
