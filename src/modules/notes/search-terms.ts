/**
 * The substring half of a search: the words and phrases of a web-search query (`"a phrase" word
 * -excluded or other`) as plain strings, for trigram matching, which finds what full-text words
 * miss — CJK text (no spaces between words) and parts of words.
 */

export interface SearchTerms {
  include: string[];
  exclude: string[];
}

const TOKEN = /(-?)"([^"]*)"?|(\S+)/g;

export function searchTerms(q: string): SearchTerms {
  const include: string[] = [];
  const exclude: string[] = [];
  for (const match of q.matchAll(TOKEN)) {
    let [, minus, phrase, word] = match;
    if (word !== undefined) {
      if (word.toLowerCase() === 'or') continue;
      minus = word.startsWith('-') ? '-' : '';
      phrase = word.replace(/^-+/, '');
    }
    const term = (phrase ?? '').trim();
    if (!term) continue;
    (minus ? exclude : include).push(term);
  }
  return { include, exclude };
}

/** A LIKE pattern matching `term` anywhere, its wildcards taken literally. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

// Marks ts_headline puts around matches: control characters no note text is expected to hold,
// so the snippet can be HTML-escaped before they become <mark> tags.
export const MARK_START = '\u0002';
export const MARK_END = '\u0003';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * A snippet safe to show as HTML: the note's text escaped, matches in <mark>. Text that only a
 * substring matched (no marks from ts_headline) gets its first included term marked here.
 */
export function toSnippet(raw: string, terms: string[]): string {
  let text = raw;
  if (!text.includes(MARK_START)) {
    const lower = text.toLowerCase();
    for (const term of terms) {
      const at = lower.indexOf(term.toLowerCase());
      if (at >= 0) {
        text = `${text.slice(0, at)}${MARK_START}${text.slice(at, at + term.length)}${MARK_END}${text.slice(at + term.length)}`;
        break;
      }
    }
  }
  return text
    .replace(/[&<>"']/g, (c) => ESCAPES[c] as string)
    .replaceAll(MARK_START, '<mark>')
    .replaceAll(MARK_END, '</mark>');
}
