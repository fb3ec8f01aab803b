/**
 * What a note's markdown says beyond its text: #hashtags, links to other notes and the files it
 * shows. Read on every write, so tags, backlinks and attachments follow the body.
 */

const MAX_TAG = 50;
// Code is quoted text, not markup: `#include` in a code block is not a tag.
const CODE = /```[\s\S]*?(?:```|$)|`[^`\n]*`/g;
// A hashtag starts a word (so `# Heading` and `C#` are not tags) and runs over letters, digits, _ - /.
const HASHTAG = /(?<![\p{L}\p{N}_&#/])#([\p{L}\p{N}_][\p{L}\p{N}_\-/]*)/gu;
const WIKI_LINK = /\[\[([^[\]\n|]{1,500})(?:\|[^[\]\n]*)?\]\]/g;
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const NOTE_LINK = new RegExp(`(?<![\\w/])(?:/api)?/notes/(${UUID})(?![\\w-])`, 'g');
const FILE_LINK = new RegExp(`/api/files/(${UUID})(?![\\w-])`, 'g');
// A markdown link's whole target (`](…)` or `<…>`): a file itself or its bytes, not a preview or
// other sub-resource of it.
const FILE_TARGET = new RegExp(`(?<=[(<])/api/files/(${UUID})(?:/content)?(?=[)>\\s])`, 'g');

/** One spelling per tag: lower case, no leading `#`. */
export function normalizeTag(tag: string): string {
  return tag.trim().replace(/^#+/, '').toLowerCase();
}

/** The #hashtags of a body, normalised, in order of first appearance. */
export function hashtags(body: string): string[] {
  const text = body.replace(CODE, ' ');
  const found = new Set<string>();
  for (const match of text.matchAll(HASHTAG)) {
    const tag = normalizeTag(match[1] as string).replace(/[-/]+$/, '');
    if (tag && tag.length <= MAX_TAG) found.add(tag);
  }
  return [...found];
}

/** Explicit tags and the body's hashtags, without duplicates: what filters and search read. */
export function allTags(tags: string[], body: string): string[] {
  return [...new Set([...tags, ...hashtags(body)])];
}

export interface NoteLinks {
  /** `[[Title]]` links, folded as the database folds titles (see `titleKey`). */
  titles: string[];
  /** `/notes/{id}` links, lower-cased ids. */
  ids: string[];
}

/** The notes a body links to. */
export function links(body: string): NoteLinks {
  const text = body.replace(CODE, ' ');
  const titles = new Set<string>();
  for (const match of text.matchAll(WIKI_LINK)) {
    const title = (match[1] as string).trim();
    if (title) titles.add(title);
  }
  const ids = new Set<string>();
  for (const match of text.matchAll(NOTE_LINK)) ids.add((match[1] as string).toLowerCase());
  return { titles: [...titles], ids: [...ids] };
}

/** The body with each `/api/files/{id}` whose id `ids` maps (lower-cased) pointing at the new id instead. */
export function rewriteFileReferences(body: string, ids: ReadonlyMap<string, string>): string {
  return body.replace(FILE_LINK, (link, id: string) => {
    const replacement = ids.get(id.toLowerCase());
    return replacement ? `/api/files/${replacement}` : link;
  });
}

/** The body with each link target naming a file (`/api/files/{id}` or `…/content`) replaced where `replace` answers (id lower-cased). */
export function replaceFileTargets(body: string, replace: (id: string) => string | undefined): string {
  return body.replace(FILE_TARGET, (link, id: string) => replace(id.toLowerCase()) ?? link);
}

/** The files (`/api/files/{id}`, e.g. `![chart](/api/files/…/content)`) a body shows or links. */
export function fileReferences(body: string): string[] {
  return [...new Set([...body.matchAll(FILE_LINK)].map((match) => (match[1] as string).toLowerCase()))];
}
