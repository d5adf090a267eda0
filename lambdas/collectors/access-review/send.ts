import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';

/** Sends a prebuilt raw message through SES v2 and returns SES's message id. */
export async function sendRawEmail(
  ses: SESv2Client,
  message: { readonly from: string; readonly to: string; readonly raw: Uint8Array },
): Promise<string> {
  const response = await ses.send(
    new SendEmailCommand({
      FromEmailAddress: message.from,
      Destination: { ToAddresses: [message.to] },
      Content: { Raw: { Data: message.raw } },
    }),
  );
  if (!response.MessageId) throw new Error('SES SendEmail returned no MessageId');
  return response.MessageId;
}
