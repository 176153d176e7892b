// What a user of the Pax8 Quoting API writes, as the README shows it (one token and one budget
// shared with a Partner API client); run unchanged in every runtime of the matrix (installed from
// the packed tarballs) and type-checked under every compiler setting of the matrix.
import { createPax8Client } from '@provider-sdk/pax8';
import { ApiError, createPax8QuotesClient, type LibraryAttachmentsGetResult, NotFoundError } from '@provider-sdk/pax8-quotes';

export type Env = Readonly<Record<string, string | undefined>>;

export default async function program(env: Env) {
  const pax8 = createPax8Client({
    baseUrl: env.PAX8_BASE_URL,
    tokenUrl: env.PAX8_TOKEN_URL,
    clientId: env.PAX8_CLIENT_ID,
    clientSecret: env.PAX8_CLIENT_SECRET,
  });
  const quotes = createPax8QuotesClient({ baseUrl: env.PAX8_QUOTES_BASE_URL, auth: pax8.auth, rateLimit: pax8.rateLimiter });
  // Response validation imports its schemas on demand: that import must work here too.
  const attachment: LibraryAttachmentsGetResult = await quotes.libraryAttachments.get({ attachmentId: 'e5f6a7b8-c9d0-4e1f-a2b3-c4d5e6f7a8b9' }, { validateResponses: 'throw' });

  let failure: unknown;
  try {
    await quotes.libraryAttachments.get({ attachmentId: 'e5f6a7b8-c9d0-4e1f-a2b3-c4d5e6f7a8b9' }, { headers: { Prefer: 'code=404' } });
  } catch (error) {
    failure = error;
  }
  return {
    operation: 'getLibraryAttachmentMetadata',
    result: attachment,
    notFound: failure instanceof NotFoundError,
    apiError: failure instanceof ApiError,
    status: failure instanceof ApiError ? failure.status : String(failure),
    validated: quotes.drift().checked,
  };
}
