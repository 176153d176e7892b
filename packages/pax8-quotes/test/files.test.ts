// Files on the wire, checked against a local server (Prism cannot check a repeated form field).
import { afterEach, describe, expect, it } from 'vitest';
import { json, startServer, type TestServer } from '../../../scripts/testing/kit.js';
import { createPax8QuotesClient, InvalidArgumentError } from '../src/index.js';

const QUOTE = '8f14e45f-ceea-467a-9575-2b1a1c0d9e3f';
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('quote attachments', () => {
  it('sends several files as the repeated multipart field attachments, with their names and types', async () => {
    server = await startServer((_req, res) => json(res, 201, []));
    const quotes = createPax8QuotesClient({ baseUrl: server.url, auth: 'token-1', rateLimit: false });
    const files = [new File(['%PDF-1.7 one'], 'one.pdf', { type: 'application/pdf' }), new File(['%PDF-1.7 two'], 'two.pdf', { type: 'application/pdf' })];
    await quotes.attachments.upload({ quoteId: QUOTE, body: { attachments: files } });
    const [request] = server.requests;
    expect(request!.method).toBe('POST');
    expect(request!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const parts = request!.body.split(/--[^\r\n]+\r\n/).filter((p) => p.includes('Content-Disposition'));
    expect(parts).toHaveLength(2);
    expect(parts[0]).toContain('name="attachments"; filename="one.pdf"');
    expect(parts[0]).toContain('Content-Type: application/pdf');
    expect(parts[1]).toContain('filename="two.pdf"');
    expect(request!.body).toContain('%PDF-1.7 two');
  });

  it('refuses a body that is not a file before sending anything', async () => {
    server = await startServer((_req, res) => json(res, 201, []));
    const quotes = createPax8QuotesClient({ baseUrl: server.url, auth: 'token-1', rateLimit: false });
    await expect(quotes.attachments.upload({ quoteId: QUOTE, body: { attachments: [42 as never] } })).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(server.requests).toHaveLength(0);
  });

  it('resolves a download as a Blob of the type the server sent, asking for every type the spec declares', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/zip' });
      res.end(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    });
    const quotes = createPax8QuotesClient({ baseUrl: server.url, auth: 'token-1', rateLimit: false });
    const zip = await quotes.attachments.downloadAll({ quoteId: QUOTE, downloadZip: true });
    expect(zip).toBeInstanceOf(Blob);
    expect((zip as Blob).type).toBe('application/zip');
    expect([...new Uint8Array(await (zip as Blob).arrayBuffer())]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    expect(server.requests[0]!.headers.accept).toBe('application/zip');
  });
});
