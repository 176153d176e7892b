import { createPax8QuotesClient } from '../src/index.js';

/** A short tour of the Quoting client, run by `pnpm demo` against a Prism mock of specs/pax8-quotes.yaml. */
export async function demo(baseUrl: string, print: (label: string, value: unknown) => void): Promise<void> {
  // With real credentials: createPax8QuotesClient({ auth: pax8.auth, rateLimit: pax8.rateLimiter }) shares a Partner API client's token and budget.
  const quotes = createPax8QuotesClient({ baseUrl, auth: 'demo-token', rateLimit: false });
  const page = await quotes.quotes.list({ limit: 5 });
  print('quotes.list({ limit: 5 })', page.items.map((q) => ({ id: q.id, status: q.status })));

  const pdf = new File(['%PDF-1.7 demo'], 'terms.pdf', { type: 'application/pdf' });
  const uploaded = await quotes.libraryAttachments.upload({ body: { attachments: pdf } });
  print('libraryAttachments.upload({ body: { attachments: file } })', uploaded.map((a) => a.name));
}
