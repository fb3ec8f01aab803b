import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';

/** What the notes services need from the app: the database and the notes settings. */
export interface NotesContext {
  db: Db;
  config: Config['notes'];
}

/** How files the notes hold are named to the files module (`attachFile`, `listAttachments`). */
export const noteObject = (ownerId: string, noteId: string) => ({
  objectType: 'note',
  // Note ids are unique per owner only (see the migration): the owner makes the reference unique.
  objectId: `${ownerId}:${noteId}`,
});
