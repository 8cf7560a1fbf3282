import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export type Received = Readonly<{
  headers: IncomingHttpHeaders;
  body: string;
  /** the parsed payload, when the body verified against the secret */
  payload: WebhookPayload | null;
  verifyError: string | null;
  at: number;
  /** what the receiver answered */
  status: number;
}>;

export type WebhookPayload = {
  id: string;
  type: string;
  timestamp: string;
  data: {
    dialog: Record<string, unknown> & { id: string };
    message?: Record<string, unknown> & { id: string; direction: string; text: string | null };
    contact: (Record<string, unknown> & { contacts: unknown[] }) | null;
    changes?: unknown[];
  };
};

export type Answer = Readonly<{
  status: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
}>;

/**
 * A webhook endpoint on 127.0.0.1 that verifies every request with the `standardwebhooks`
 * package and answers as `answer` says: the integrator's side of every delivery test.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  secret: string | null = null;
  answer: (request: { headers: IncomingHttpHeaders; body: string; attempt: number }) => Answer =
    () => ({ status: 200, body: 'ok' });
  private readonly attempts = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(path = '/hooks'): Promise<WebhookReceiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const receiver = new WebhookReceiver(server, `http://127.0.0.1:${port}${path}`);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const id = String(req.headers['webhook-id'] ?? '');
        const attempt = (receiver.attempts.get(id) ?? 0) + 1;
        receiver.attempts.set(id, attempt);
        const answer = receiver.answer({ headers: req.headers, body, attempt });
        let payload: WebhookPayload | null = null;
        let verifyError: string | null = null;
        try {
          if (receiver.secret === null) throw new Error('no secret set');
          payload = new Webhook(receiver.secret).verify(
            body,
            req.headers as Record<string, string>,
          ) as WebhookPayload;
        } catch (error) {
          verifyError = error instanceof Error ? error.message : String(error);
        }
        receiver.received.push({
          headers: req.headers,
          body,
          payload,
          verifyError,
          at: Date.now(),
          status: answer.status,
        });
        setTimeout(() => {
          res.writeHead(answer.status, answer.headers ?? {});
          res.end(answer.body ?? '');
        }, answer.delayMs ?? 0);
      });
    });
    return receiver;
  }

  /** requests answered 2xx, in the order they were answered */
  get accepted(): Received[] {
    return this.received.filter((r) => r.status >= 200 && r.status < 300);
  }

  async waitFor(predicate: (r: WebhookReceiver) => boolean, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      if (Date.now() > deadline)
        throw new Error(
          `receiver: condition not met within ${timeoutMs} ms; got ${this.received.length} requests: ${this.received
            .map((r) => `${r.status} ${r.payload?.type ?? r.verifyError}`)
            .join(', ')}`,
        );
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
