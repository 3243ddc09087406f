import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { composeMessage } from '#adapters/mime-message';
import { mailFrom } from '#functions/config';

let client: SESClient | undefined;
// A send that hangs is a passing fault (TimeoutError), retried later, not a worker stuck until its timeout.
const ses = () => (client ??= new SESClient({ requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000 } }));

export interface Envelope {
  to: string[];
  subject: string;
  text: string;
  html: string;
  attachments?: { filename: string; contentType: string; content: Uint8Array }[];
  /** Bulk mail: mail clients show an unsubscribe button that POSTs here (RFC 2369, RFC 8058). */
  unsubscribeUrl?: string;
}

/**
 * Sends one email through SES; returns SES's message id. Every email is a MIME message composed
 * here and sent raw: one path for plain emails and those with a PDF attached.
 */
export const sendEmail = async (email: Envelope): Promise<string> => {
  const raw = composeMessage({
    from: mailFrom(),
    to: email.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    // One click: the client POSTs "List-Unsubscribe=One-Click" to the link (POST /unsubscribe/{token}).
    ...(email.unsubscribeUrl
      ? { headers: { 'List-Unsubscribe': `<${email.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } }
      : {}),
    ...(email.attachments ? { attachments: email.attachments } : {}),
  });
  const { MessageId } = await ses().send(
    new SendRawEmailCommand({ Source: mailFrom(), Destinations: email.to, RawMessage: { Data: raw } }),
  );
  return MessageId ?? 'unknown';
};
