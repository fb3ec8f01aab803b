import { posix } from 'node:path';
import { replaceFileTargets } from './content.ts';
/**
 * A note as a portable markdown file: front matter, then the body. Front-matter values are JSON,
 * which is also YAML, so other tools read them; we read back what we write.
 *
 *   ---
 *   title: "Trip to Kyoto"
 *   tags: ["japan"]
 *   notebook: ["Travel","2027"]
 *   attachments: [{"id":"…","name":"ryokan.pdf","path":"attachments/…/ryokan.pdf","sha256":"…",…}]
 *   …
 *   ---
 *   Book the ryokan. #travel
 */

/**
 * A file the note holds, listed in its front matter. The bytes are the zip entry at `path`
 * (`attachments/<id>/<name>`, one folder for the whole export, as Joplin keeps `_resources/`). In
 * the body, the file is a link relative to the note (`../attachments/<id>/chart.png`), so the
 * unzipped folder shows its images in any markdown editor (Obsidian, VS Code); an import turns
 * those links back into links to the new file (`portableLinks`, `apiLinks`).
 */
export interface PortableAttachment {
  id: string;
  name: string;
  path: string;
  contentType: string;
  size: number;
  sha256: string;
}

export interface PortableNote {
  id?: string | undefined;
  title: string;
  body: string;
  tags: string[];
  notebook: string[];
  pinned: boolean;
  archived: boolean;
  createdAt?: string | undefined;
  updatedAt?: string | undefined;
  attachments?: PortableAttachment[] | undefined;
}

export function toMarkdown(note: PortableNote): string {
  const meta: Record<string, unknown> = {
    id: note.id,
    title: note.title,
    tags: note.tags,
    notebook: note.notebook,
    pinned: note.pinned,
    archived: note.archived,
    created: note.createdAt,
    updated: note.updatedAt,
    attachments: note.attachments?.length ? note.attachments : undefined,
  };
  const lines = Object.entries(meta)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}`);
  return `---\n${lines.join('\n')}\n---\n${note.body}`;
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v) => typeof v === 'string') : []);

/** The well-formed entries of an `attachments` list; anything else in it is ignored. */
function attachmentsOf(value: unknown): PortableAttachment[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((raw: Record<string, unknown> | null) => {
    if (typeof raw !== 'object' || raw === null) return [];
    const { id, name, path, contentType, size, sha256 } = raw;
    if (typeof id !== 'string' || typeof path !== 'string' || !path) return [];
    return [
      {
        id,
        path,
        name: typeof name === 'string' && name ? name : (path.split('/').pop() ?? 'file'),
        contentType: typeof contentType === 'string' ? contentType : 'application/octet-stream',
        size: typeof size === 'number' ? size : 0,
        sha256: typeof sha256 === 'string' ? sha256 : '',
      },
    ];
  });
}

/** Reads a markdown file; without front matter, the title is the file's name. */
export function fromMarkdown(text: string, fileName: string): PortableNote {
  const match = FRONT_MATTER.exec(text);
  const meta: Record<string, unknown> = {};
  for (const line of match?.[1]?.split(/\r?\n/) ?? []) {
    const at = line.indexOf(':');
    if (at < 0) continue;
    const raw = line.slice(at + 1).trim();
    try {
      meta[line.slice(0, at).trim()] = JSON.parse(raw);
    } catch {
      meta[line.slice(0, at).trim()] = raw;
    }
  }
  return {
    id: typeof meta.id === 'string' ? meta.id : undefined,
    title: typeof meta.title === 'string' ? meta.title : fileName.replace(/\.md$/i, ''),
    body: match ? text.slice(match[0].length) : text,
    tags: strings(meta.tags),
    notebook: strings(meta.notebook),
    pinned: meta.pinned === true,
    archived: meta.archived === true,
    createdAt: typeof meta.created === 'string' ? meta.created : undefined,
    updatedAt: typeof meta.updated === 'string' ? meta.updated : undefined,
    attachments: attachmentsOf(meta.attachments),
  };
}

/** The link from the note at zip path `notePath` to `attachment`, URL-encoded per segment. */
function relativeLink(notePath: string, attachment: PortableAttachment): string {
  const link = posix.relative(posix.dirname(notePath), attachment.path);
  // Parentheses too: a markdown link target ends at `)`.
  const encode = (part: string) => encodeURIComponent(part).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
  return link.split('/').map(encode).join('/');
}

/** For the export: each link to a file the note lists points at its entry, relative to the note. */
export function portableLinks(body: string, notePath: string, attachments: readonly PortableAttachment[]): string {
  if (!attachments.length) return body;
  const byId = new Map(attachments.map((attachment) => [attachment.id.toLowerCase(), attachment]));
  return replaceFileTargets(body, (id) => {
    const attachment = byId.get(id);
    return attachment && relativeLink(notePath, attachment);
  });
}

/**
 * For the import: each relative link to a listed entry becomes `/api/files/<listed id>/content`
 * again, which the import then points at the file it stores. Links in the encoded form an export
 * writes and, where that is still a link, in the plain form (`attachments/<id>/chart.png`).
 */
export function apiLinks(body: string, notePath: string, attachments: readonly PortableAttachment[]): string {
  let result = body;
  for (const attachment of attachments) {
    const encoded = relativeLink(notePath, attachment);
    const target = `/api/files/${attachment.id}/content`;
    for (const form of new Set([encoded, decodeURIComponent(encoded)])) {
      if (/[\s()<>]/.test(form)) continue;
      // Only as a whole link target: after `(` or `<`, before `)` / `>` / a title.
      result = result.replace(new RegExp(`(?<=[(<])${escapeRegExp(form)}(?=[)>\\s])`, 'g'), target);
    }
  }
  return result;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A file name safe on every system: no separators or control characters, bounded. */
export function safeName(name: string, fallback: string): string {
  const cleaned = name
    .replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ')
    .trim()
    .slice(0, 80);
  return cleaned && !/^\.+$/.test(cleaned) ? cleaned : fallback;
}
