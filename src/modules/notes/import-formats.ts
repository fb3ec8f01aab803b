import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { decodeHTML, decodeXML } from 'entities';
import { XMLParser } from 'fast-xml-parser';
import { type Entry, fromBufferPromise } from 'yauzl';
import { apiLinks, fromMarkdown, type PortableNote } from './portable.ts';

/** Reading the files an import takes: our own export (a zip of markdown) and Evernote's `.enex`. */

/** A file that comes in with a note: a zip entry its front matter lists, or an .enex resource. */
export interface ImportAttachment {
  /** The id the note's body knows the file by (`/api/files/<ref>`), rewritten to the new file's. */
  ref: string;
  name: string;
  /** What the source says the type is; the files module sniffs the real one. */
  contentType: string;
  /** Bytes, as the source declares them: counted against the import's budget before any is read. */
  size: number;
  open(): Promise<Readable>;
  /** Why it cannot be read at all (listed, but not in the zip). */
  problem?: string;
}

export interface ImportItem {
  /** Where it came from, for the report (a file in the zip, a note's title in the .enex). */
  name: string;
  note?: PortableNote;
  attachments?: ImportAttachment[];
  /** Why it cannot be imported at all. */
  problem?: string;
}

const MAX_ENTRY_BYTES = 2_000_000;

async function readEntry(zip: Awaited<ReturnType<typeof fromBufferPromise>>, entry: Entry): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Every `.md` file of a zip with the entries its front matter lists as attachments; other entries
 * are reported as skipped. Attachments are read only when the import stores them (`open`), straight
 * from the zip: the central directory is read first, so a note may list entries that come after it.
 */
export async function readZip(content: Buffer): Promise<ImportItem[]> {
  const zip = await fromBufferPromise(content, { lazyEntries: true, decodeStrings: true });
  const entries = new Map<string, Entry>();
  for await (const entry of zip.eachEntry()) {
    if (!entry.fileName.endsWith('/')) entries.set(entry.fileName, entry);
  }
  const notes = new Map<string, ImportItem>();
  const attachmentPaths = new Set<string>();
  for (const [name, entry] of entries) {
    if (!name.toLowerCase().endsWith('.md')) continue;
    if (entry.uncompressedSize > MAX_ENTRY_BYTES) {
      notes.set(name, { name, problem: 'too large' });
      continue;
    }
    const note = fromMarkdown(await readEntry(zip, entry), name.split('/').pop() ?? name);
    // A file without front matter files itself by its folders.
    if (!note.notebook.length) note.notebook = name.split('/').slice(0, -1);
    for (const attachment of note.attachments ?? []) attachmentPaths.add(attachment.path);
    notes.set(name, { name, note });
  }
  const items: ImportItem[] = [];
  for (const name of entries.keys()) {
    // A markdown file that a note lists is that note's attachment, not a note of its own.
    if (attachmentPaths.has(name)) continue;
    const item = notes.get(name);
    if (!item) {
      items.push({ name, problem: 'not a markdown file' });
      continue;
    }
    if (item.note?.attachments?.length) item.note.body = apiLinks(item.note.body, name, item.note.attachments);
    item.attachments = (item.note?.attachments ?? []).map((listed) => {
      const found = entries.get(listed.path);
      return {
        ref: listed.id,
        name: listed.name,
        contentType: listed.contentType,
        size: found?.uncompressedSize ?? listed.size,
        open: async () => {
          if (!found) throw new Error(`${listed.path} is not in the zip`);
          return zip.openReadStreamPromise(found);
        },
        ...(found ? {} : { problem: 'not in the zip' }),
      };
    });
    items.push(item);
  }
  return items;
}

const EN_MEDIA = /<en-media\b[^>]*?(?:\/>|>(?:\s*<\/en-media>)?)/gi;
const MEDIA_HASH = /\bhash\s*=\s*["']([0-9a-f]+)["']/i;

/**
 * ENML (Evernote's XHTML) to plain markdown-ish text: blocks become lines, markup goes. A picture or
 * file in the text (`<en-media hash="…">`) becomes a markdown image or link to its resource in
 * `media` (keyed by the MD5 Evernote names resources by).
 */
function enmlToText(enml: string, media: ReadonlyMap<string, string>): string {
  return (
    enml
      // Placed by a marker (a private-use character) no later step touches, then swapped for the link.
      .replace(EN_MEDIA, (tag) => {
        const hash = MEDIA_HASH.exec(tag)?.[1]?.toLowerCase();
        return hash && media.has(hash) ? `\uE000${hash}\uE000` : '';
      })
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/(div|p|li|h[1-6]|tr|blockquote)>/gi, '\n')
      .replace(/<li[^>]*>/gi, '- ')
      .replace(/<[^>]+>/g, '')
      // After the markup is gone: a decoded `&lt;` must stay text, not become a tag.
      .replace(/&nbsp;/g, ' ')
      .replace(/&[#\w]+;/g, (entity) => decodeHTML(entity))
      .replace(/\n{3,}/g, '\n\n')
      .trim()
      .replace(/\uE000([0-9a-f]+)\uE000/g, (_marker, hash: string) => media.get(hash) ?? '')
  );
}

/** Evernote's base64 `<resource>`s of one note, each with the markdown that shows it in the body. */
function enexResources(note: Record<string, unknown>) {
  const resources = Array.isArray(note.resource) ? (note.resource as Array<Record<string, unknown>>) : [];
  const attachments: ImportAttachment[] = [];
  const media = new Map<string, string>();
  resources.forEach((resource, index) => {
    const attributes = resource['resource-attributes'] as Record<string, unknown> | undefined;
    const fileName = typeof attributes?.['file-name'] === 'string' ? decodeXML(attributes['file-name']) : '';
    const name = fileName || `attachment-${index + 1}`;
    const contentType = typeof resource.mime === 'string' ? resource.mime.trim() : 'application/octet-stream';
    const data = typeof resource.data === 'string' ? Buffer.from(resource.data, 'base64') : Buffer.alloc(0);
    const ref = randomUUID();
    const label = name.replace(/[[\]\\]/g, '');
    const target = `/api/files/${ref}/content`;
    media.set(
      createHash('md5').update(data).digest('hex'),
      contentType.startsWith('image/') ? `![${label}](${target})` : `[${label}](${target})`,
    );
    attachments.push({ ref, name, contentType, size: data.length, open: async () => Readable.from([data]) });
  });
  return { attachments, media };
}

/** Evernote's 20240131T120000Z. */
function enexDate(value: unknown): string | undefined {
  const match = typeof value === 'string' ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value) : null;
  return match ? `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}.000Z` : undefined;
}

export function readEnex(content: Buffer): ImportItem[] {
  const parser = new XMLParser({
    ignoreAttributes: true,
    isArray: (name) => name === 'note' || name === 'tag' || name === 'resource',
    // Entities are decoded here (entities' decodeXML / decodeHTML), never expanded by the parser, so
    // no entity can be defined in the document to blow up or to reach outside it.
    processEntities: false,
    parseTagValue: false,
  });
  const doc = parser.parse(content.toString('utf8')) as { 'en-export'?: { note?: Array<Record<string, unknown>> } };
  return (doc['en-export']?.note ?? []).map((note, index) => {
    const title = typeof note.title === 'string' ? decodeXML(note.title) : `Note ${index + 1}`;
    const { attachments, media } = enexResources(note);
    const body = typeof note.content === 'string' ? enmlToText(note.content, media) : '';
    return {
      name: title,
      attachments,
      note: {
        title,
        body,
        tags: Array.isArray(note.tag)
          ? note.tag.filter((tag): tag is string => typeof tag === 'string').map((tag) => decodeXML(tag))
          : [],
        notebook: [],
        pinned: false,
        archived: false,
        createdAt: enexDate(note.created),
        updatedAt: enexDate(note.updated),
      },
    };
  });
}
