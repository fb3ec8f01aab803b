import type { QuestionBody } from '../questions/schemas.ts';

/**
 * Questions to Moodle GIFT text. GIFT has no ordering or poll question, no points, weights or
 * exact-match flag, and no closeness scoring: ordering and poll questions are written as comments
 * (so a reader sees what was left out), the rest as their nearest GIFT form. JSON export keeps all.
 */

// GIFT's special characters, escaped with a backslash wherever text appears.
const escapeGift = (text: string) => text.replace(/[~=#{}:\\]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');
const percent = (fraction: number) => `%${Math.round(fraction * 100000) / 1000}%`;

function answers(q: QuestionBody): string | null {
  switch (q.type) {
    case 'single':
      return q.options.map((o) => `${o.correct ? '=' : '~'}${escapeGift(o.text)}`).join(' ');
    case 'multiple':
      return q.options.map((o) => `~${percent(o.fraction)}${escapeGift(o.text)}`).join(' ');
    case 'true_false':
      return q.answer ? 'TRUE' : 'FALSE';
    case 'short_text':
      return q.accepted.map((a) => `=${escapeGift(a)}`).join(' ');
    case 'numeric':
      return `#${q.answer}:${q.tolerance ?? 0}`;
    case 'ordering':
    case 'poll':
      return null;
  }
}

export function exportGift(title: string, questions: readonly QuestionBody[]): string {
  const blocks = [`// ${title.replace(/\r?\n/g, ' ')}`, '// Exported from Groundwork (Moodle GIFT format)'];
  questions.forEach((q, i) => {
    const body = answers(q);
    if (body === null) {
      blocks.push(`// Question ${i + 1} (${q.type}) has no GIFT form: ${q.prompt.replace(/\r?\n/g, ' ')}`);
      return;
    }
    const feedback = q.explanation ? ` ####${escapeGift(q.explanation)}` : '';
    blocks.push(`::Q${i + 1}:: ${escapeGift(q.prompt)} {${body}${feedback}}`);
  });
  return `${blocks.join('\n\n')}\n`;
}
