import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ServedFile = Readonly<{ status: number; type?: string; body: Buffer }>;
/** a file, or what to answer to the n-th request for it (from 1) */
export type Served = ServedFile | ((n: number) => ServedFile);

/**
 * An integrator's file host on 127.0.0.1. Answers wait until `release()` when it is `held`,
 * so a test can tell that Parley answered before any file was fetched.
 */
export class FileServer {
  private gate: Promise<void> = Promise.resolve();
  private open: () => void = () => undefined;
  readonly requests: string[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(files: Readonly<Record<string, Served>>): Promise<FileServer> {
    let self: FileServer | null = null;
    const server = createServer((req, res) => {
      const path = req.url ?? '/';
      self?.requests.push(path);
      void (self?.gate ?? Promise.resolve()).then(() => {
        const served = files[path];
        const n = self?.requests.filter((r) => r === path).length ?? 1;
        const file = (typeof served === 'function' ? served(n) : served) ?? {
          status: 404,
          type: 'text/plain',
          body: Buffer.from('no'),
        };
        res.writeHead(file.status, {
          'content-type': file.type ?? 'application/octet-stream',
          'content-length': String(file.body.length),
        });
        res.end(file.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    self = new FileServer(server, `http://127.0.0.1:${port}`);
    return self;
  }

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open();
  }

  async close(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A PNG's signature and some bytes: what the sniffer knows it by. */
export const pngBytes = (size = 2048): Buffer =>
  Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + 7) % 256)),
  ]);

export const pdfBytes = (): Buffer =>
  Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n', 'latin1');
