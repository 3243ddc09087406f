import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { mailFrom } from '#functions/config';

let client: SESClient | undefined;
const ses = () => (client ??= new SESClient({}));

export interface Envelope {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/** Sends one email through SES; returns SES's message id. */
export const sendEmail = async (email: Envelope): Promise<string> => {
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
