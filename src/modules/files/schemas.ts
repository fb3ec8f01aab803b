import { type Static, Type } from 'typebox';
import { Id, PageQuery, Timestamp } from '../../core/schemas.ts';
import { PREVIEW_WIDTHS } from './images.ts';
import { PURPOSE_NAMES } from './purposes.ts';

/** Request and response schemas of /api/files. */

export const FileObject = Type.Object(
  {
    id: Id,
    name: Type.String({ description: 'The uploaded name, made safe (no path, no control characters)' }),
    size: Type.Integer({ description: 'Bytes' }),
    contentType: Type.String({ description: 'Sniffed from the bytes, not taken from the client' }),
    sha256: Type.String({ description: 'Hex SHA-256 of the bytes' }),
    width: Type.Optional(Type.Integer({ description: 'Images only: displayed width in pixels' })),
    height: Type.Optional(Type.Integer({ description: 'Images only: displayed height in pixels' })),
    createdAt: Timestamp,
  },
  { $id: 'File' },
);
export type FileDto = Static<typeof FileObject>;

export const FileParams = Type.Object({ id: Id });

export const FileListQuery = PageQuery(50);

const PurposeSchema = Type.Union(
  PURPOSE_NAMES.map((name) => Type.Literal(name)),
  { description: 'What the file is for; decides which types are accepted', default: 'attachment' },
);

/**
 * The upload's body, for the OpenAPI document: it is streamed, never parsed into `request.body`
 * (which stays null, hence the null the validator must accept).
 */
export const UploadBody = {
  content: {
    'multipart/form-data': {
      schema: Type.Unsafe<unknown>({
        type: 'object',
        nullable: true,
        properties: { file: { type: 'string', format: 'binary', description: 'The one file of the request' } },
      }),
    },
  },
};

export const UploadQuery = Type.Object({ purpose: PurposeSchema });

const Width = Type.Union(
  PREVIEW_WIDTHS.map((width) => Type.Literal(width)),
  { description: `Images only: a resized preview (WebP) of one of these widths: ${PREVIEW_WIDTHS.join(', ')}` },
);

export const ContentQuery = Type.Object({
  width: Type.Optional(Width),
  download: Type.Optional(Type.Boolean({ description: 'true: always as an attachment, never shown inline' })),
  expires: Type.Optional(Type.Integer({ minimum: 0, description: 'Signed links: expiry (Unix seconds)' })),
  signature: Type.Optional(
    Type.String({ pattern: '^[A-Za-z0-9_-]{1,128}$', description: 'Signed links: the link signature' }),
  ),
});

export const ContentHeaders = Type.Object({
  range: Type.Optional(Type.String({ description: 'One byte range, e.g. `bytes=0-1023`; answered with 206' })),
  'if-none-match': Type.Optional(Type.String({ description: 'The ETag you hold; 304 if it is still current' })),
  'if-range': Type.Optional(Type.String({ description: 'Honour Range only while the ETag is still this one' })),
});

export const CreateLink = Type.Object({
  expiresInMinutes: Type.Integer({ minimum: 1, maximum: 1440, default: 15 }),
  width: Type.Optional(Width),
});

export const Link = Type.Object({
  url: Type.String({ description: 'Works without credentials until it expires (e.g. as an <img src>)' }),
  expiresAt: Timestamp,
});

export const CreateDirectUpload = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 1024 }),
  size: Type.Integer({ minimum: 1, description: 'Exact bytes the client will PUT' }),
  contentType: Type.String({ minLength: 3, maxLength: 255, pattern: '^[a-z]+/[a-z0-9.+-]+$' }),
  purpose: PurposeSchema,
});
export type CreateDirectUploadBody = Static<typeof CreateDirectUpload>;

export const DirectUpload = Type.Object({
  id: Id,
  uploadUrl: Type.String({ description: 'PUT the bytes here, with the Content-Type you declared' }),
  method: Type.Literal('PUT'),
  headers: Type.Record(Type.String(), Type.String()),
  expiresAt: Timestamp,
});

/** The content answers: whatever type the file has, so documented as any media type. */
export function Binary(description: string) {
  return { description, content: { '*/*': { schema: Type.String({ format: 'binary' }) } } };
}
