import MailComposer from 'nodemailer/lib/mail-composer';

export interface ReviewMessage {
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** The full population, attached as `access-review-<quarter>.csv`. */
  readonly csv: string;
  readonly csvFilename: string;
  readonly date: Date;
}

/**
 * Builds the raw RFC 822 message (multipart/mixed: a text/html alternative and the CSV attachment) without
 * sending it. We submit these exact bytes to SES and keep them as evidence, so the digest in the evidence is
 * the digest of the raw message submitted to SES (SES adds DKIM and other headers, so the delivered message
 * differs from it).
 */
export async function buildRawMessage(m: ReviewMessage): Promise<Buffer> {
  const composer = new MailComposer({
    from: m.from,
    to: m.to,
    subject: m.subject,
    date: m.date,
    text: m.text,
    html: m.html,
    attachments: [{ filename: m.csvFilename, content: m.csv, contentType: 'text/csv; charset=utf-8' }],
  });
  return composer.compile().build();
}
