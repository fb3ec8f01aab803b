import type { MailMessage } from '../../../core/mailer.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/** A plain message carrying one link, as text and as minimal HTML. */
function linkMessage(
  to: string,
  subject: string,
  lead: string,
  action: string,
  link: string,
  tail: string,
): MailMessage {
  return {
    to,
    subject,
    link,
    text: `${lead}\n\n${action}:\n${link}\n\n${tail}\n`,
    html:
      `<p>${escapeHtml(lead)}</p>` +
      `<p><a href="${escapeHtml(link)}">${escapeHtml(action)}</a></p>` +
      `<p>${escapeHtml(tail)}</p>`,
  };
}

export function verificationMail(to: string, link: string): MailMessage {
  return linkMessage(
    to,
    'Confirm your email address',
    'Please confirm that this is your email address.',
    'Confirm your email',
    link,
    'The link works once, for 24 hours. If you did not create an account, ignore this message.',
  );
}

export function passwordResetMail(to: string, link: string): MailMessage {
  return linkMessage(
    to,
    'Reset your password',
    'Someone (hopefully you) asked to reset the password of your account.',
    'Choose a new password',
    link,
    'The link works once, for 30 minutes, and signs you out everywhere. If you did not ask for this, ignore this message: your password stays as it is.',
  );
}

export function passwordChangedMail(to: string, when: Date): MailMessage {
  const lead = `The password of your account was changed on ${when.toUTCString()}, and every other session of the account was signed out.`;
  const tail =
    'If this was you, there is nothing to do. If it was not, someone has access to your account: reset your password now ("Forgot password" on the sign-in page), which signs out every session.';
  return {
    to,
    subject: 'Your password was changed',
    text: `${lead}\n\n${tail}\n`,
    html: `<p>${escapeHtml(lead)}</p><p>${escapeHtml(tail)}</p>`,
  };
}

export function emailChangedMail(to: string, newEmail: string, link: string): MailMessage {
  return linkMessage(
    to,
    'The email address of your account was changed',
    `The email address of your account was changed from ${to} to ${newEmail}. Mail about the account now goes to the new address.`,
    'This was not me: restore my address and sign out everywhere',
    link,
    'The link works once, for 7 days. If the change was yours, ignore this message. If it was not, use the link, then reset your password ("Forgot password" on the sign-in page).',
  );
}
