import sanitize from 'sanitize-filename';

// Bidirectional overrides and isolates let `evil‮gnp.exe` display as `evilexe.png`.
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f]/g;
const MAX_NAME = 255;

/**
 * A user's file name made safe to keep and to send back in Content-Disposition: no path, no
 * control or reserved characters, no direction tricks, at most 255 characters. Never used as a
 * storage path (keys are ours).
 */
export function sanitizeFileName(raw: string | undefined): string {
  const base = (raw ?? '').normalize('NFC').replace(BIDI_CONTROLS, '').split(/[\\/]/).pop() ?? '';
  const clean = sanitize(base, { replacement: '_' }).replace(/\s+/g, ' ').trim();
  const name = clean.replace(/^\.+/, '') || 'file';
  if (name.length <= MAX_NAME) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  return name.slice(0, MAX_NAME - extension.length) + extension;
}
