import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny AWS-compatible endpoint on 127.0.0.1 that answers AWS Query protocol calls (IAM, STS) from a table
 * of canned XML results. It lets a test run the real CLI, the real SDK and its real HTTP stack with
 * AWS_ENDPOINT_URL pointing here, proving that the standard endpoint configuration is honoured.
 */
export type QueryAnswers = Record<string, (params: URLSearchParams) => string>;

export interface FakeEndpoint {
  readonly url: string;
  readonly calls: string[];
  close(): Promise<void>;
}

export async function startFakeEndpoint(answers: QueryAnswers): Promise<FakeEndpoint> {
  const calls: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
