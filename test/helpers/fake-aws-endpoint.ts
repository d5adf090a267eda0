import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny AWS-compatible endpoint on 127.0.0.1 that answers AWS Query protocol calls (IAM, STS) from a table
 * of canned XML results. It lets a test run the real CLI, the real SDK and its real HTTP stack with
 * AWS_ENDPOINT_URL pointing here, proving that the standard endpoint configuration is honoured.
 */
export type QueryAnswers = Record<string, (params: URLSearchParams) => string>;

export interface StoredObject {
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface FakeEndpoint {
  readonly url: string;
  readonly calls: string[];
  /** S3 objects PUT to this endpoint (path-style), by `bucket/key`. */
  readonly objects: Map<string, StoredObject>;
  close(): Promise<void>;
}

export async function startFakeEndpoint(answers: QueryAnswers): Promise<FakeEndpoint> {
  const calls: string[] = [];
  const objects = new Map<string, StoredObject>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'PUT') {
        // S3 PutObject, path-style: keep the object and answer as S3 does, including the conditional write.
        const path = decodeURIComponent((req.url ?? '').split('?')[0]!.slice(1));
        calls.push(`PutObject ${path}`);
        if (req.headers['if-none-match'] === '*' && objects.has(path)) {
          res.statusCode = 412;
          res.end(
            '<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>',
          );
          return;
        }
        objects.set(path, { body: Buffer.concat(chunks), headers: req.headers });
        const checksum = req.headers['x-amz-checksum-sha256'];
        if (typeof checksum === 'string') res.setHeader('x-amz-checksum-sha256', checksum);
        res.setHeader('x-amz-version-id', `v${objects.size}`);
        res.end();
        return;
      }
      const body = Buffer.concat(chunks).toString();
      const params = new URLSearchParams(body);
      const action = params.get('Action') ?? '';
      calls.push(action);
      const answer = answers[action];
      res.setHeader('content-type', 'text/xml');
      if (!answer) {
        res.statusCode = 400;
        res.end(
          `<ErrorResponse><Error><Code>InvalidAction</Code><Message>${action} is not served here</Message></Error></ErrorResponse>`,
        );
        return;
      }
      res.end(
        `<${action}Response><${action}Result>${answer(params)}</${action}Result><ResponseMetadata><RequestId>test</RequestId></ResponseMetadata></${action}Response>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    objects,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
