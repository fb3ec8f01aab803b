import { Type } from 'typebox';
import { Id } from '../../core/schemas.ts';

/** Schema primitives the expenses module's resources share. */

export const DateOnly = Type.String({ format: 'date', description: 'A calendar date, `YYYY-MM-DD`' });
export const IdParams = Type.Object({ id: Id });
/** OpenAPI group and security of every expenses route. */
export const docs = { tags: ['expenses'], security: [{ bearerAuth: [] }] };
