/** Small helpers the local servers share. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export class PayloadTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body larger than ${limit} bytes`);
    this.name = 'PayloadTooLargeError';
  }
}

/** Reads a request body, refusing it as soon as it passes `limit` bytes. */
export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw new PayloadTooLargeError(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new PayloadTooLargeError(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Connections waiting to be accepted. With Node's default (511), a thousand requests at once on a
 * busy process (bench/numbering's sign-offs) had some of their connections reset.
 */
const BACKLOG = 4096;

/** Listens on host:port (0 picks a free port) and resolves with the bound port. */
export function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${port} on ${host} is already in use`) : error);
    });
    server.listen({ port, host, backlog: BACKLOG }, () => resolve((server.address() as AddressInfo).port));
  });
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Asks the OS for a free TCP port on host (for child processes that need a number up front). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  const port = await listen(server, host, 0);
  await close(server);
  return port;
}

/** Fails with a clear message when a fixed port is taken (servers that crash on EADDRINUSE are checked first). */
export async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const server = createServer();
  await listen(server, host, port);
  await close(server);
}
