import { decodeHTML, decodeXML } from 'entities';
import { XMLParser } from 'fast-xml-parser';
import { fromBufferPromise } from 'yauzl';
import { fromMarkdown, type PortableNote } from './portable.ts';

/** Reading the files an import takes: our own export (a zip of markdown) and Evernote's `.enex`. */

export interface ImportItem {
  /** Where it came from, for the report (a file in the zip, a note's title in the .enex). */
  name: string;
  note?: PortableNote;
  /** Why it cannot be imported at all. */
  problem?: string;
}

const MAX_ENTRY_BYTES = 2_000_000;

/** Every `.md` file of a zip; other entries are reported as skipped. */
export async function readZip(content: Buffer): Promise<ImportItem[]> {
  const zip = await fromBufferPromise(content, { lazyEntries: true, decodeStrings: true });
  const items: ImportItem[] = [];
  for await (const entry of zip.eachEntry()) {
    const name = entry.fileName;
    if (name.endsWith('/')) continue;
    if (!name.toLowerCase().endsWith('.md')) {
      items.push({ name, problem: 'not a markdown file' });
      continue;
    }
    if (entry.uncompressedSize > MAX_ENTRY_BYTES) {
      items.push({ name, problem: 'too large' });
      continue;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    const base = name.split('/').pop() ?? name;
    const note = fromMarkdown(Buffer.concat(chunks).toString('utf8'), base);
    // A file without front matter files itself by its folders.
    if (!note.notebook.length) note.notebook = name.split('/').slice(0, -1);
    items.push({ name, note });
  }
  return items;
}

/** ENML (Evernote's XHTML) to plain markdown-ish text: blocks become lines, markup goes. */
function enmlToText(enml: string): string {
  return (
    enml
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/(div|p|li|h[1-6]|tr|blockquote)>/gi, '\n')
      .replace(/<li[^>]*>/gi, '- ')
      .replace(/<[^>]+>/g, '')
      // After the markup is gone: a decoded `&lt;` must stay text, not become a tag.
      .replace(/&nbsp;/g, ' ')
      .replace(/&[#\w]+;/g, (entity) => decodeHTML(entity))
      .replace(/\n{3,}/g, '\n\n')
      .trim()
  );
}

/** Evernote's 20240131T120000Z. */
function enexDate(value: unknown): string | undefined {
  const match = typeof value === 'string' ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value) : null;
  return match ? `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}.000Z` : undefined;
}

export function readEnex(content: Buffer): ImportItem[] {
  const parser = new XMLParser({
    ignoreAttributes: true,
    isArray: (name) => name === 'note' || name === 'tag',
    // Entities are decoded here (entities' decodeXML / decodeHTML), never expanded by the parser, so
    // no entity can be defined in the document to blow up or to reach outside it.
    processEntities: false,
    parseTagValue: false,
  });
  const doc = parser.parse(content.toString('utf8')) as { 'en-export'?: { note?: Array<Record<string, unknown>> } };
  return (doc['en-export']?.note ?? []).map((note, index) => {
    const title = typeof note.title === 'string' ? decodeXML(note.title) : `Note ${index + 1}`;
    const body = typeof note.content === 'string' ? enmlToText(note.content) : '';
    return {
      name: title,
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
