import { SESClient, SendEmailCommand, SendRawEmailCommand } from '@aws-sdk/client-ses';
import MailComposer from 'nodemailer/lib/mail-composer';
import { mailFrom } from '#functions/config';

let client: SESClient | undefined;
const ses = () => (client ??= new SESClient({}));

export interface Envelope {
  to: string[];
  subject: string;
  text: string;
  html: string;
  attachments?: { filename: string; contentType: string; content: Uint8Array }[];
}

/** Sends one email through SES; returns SES's message id. Attachments go as a raw MIME message. */
export const sendEmail = async (email: Envelope): Promise<string> => {
  if (email.attachments?.length) {
    const raw = await new MailComposer({
      from: mailFrom(),
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      attachments: email.attachments.map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        content: Buffer.from(a.content),
      })),
    })
      .compile()
      .build();
    const { MessageId } = await ses().send(
      new SendRawEmailCommand({ Source: mailFrom(), Destinations: email.to, RawMessage: { Data: raw } }),
    );
    return MessageId ?? 'unknown';
  }
  const { MessageId } = await ses().send(
    new SendEmailCommand({
      Source: mailFrom(),
      Destination: { ToAddresses: email.to },
      Message: {
        Subject: { Data: email.subject, Charset: 'UTF-8' },
        Body: { Text: { Data: email.text, Charset: 'UTF-8' }, Html: { Data: email.html, Charset: 'UTF-8' } },
      },
    }),
  );
  return MessageId ?? 'unknown';
};
