/**
 * Amazon SES (API v2 SendEmail) on loopback: emails are not sent but kept in an outbox the
 * developer reads at GET /local/outbox (and in DATA_DIR/outbox.jsonl), through the same SDK call
 * the functions make in AWS.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { readBody } from './http-util.ts';

export interface OutboxMessage {
  readonly messageId: string;
  readonly at: string;
  readonly from: string;
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
}

export class Outbox {
  private readonly messages: OutboxMessage[] = [];

  constructor(private readonly file?: string) {
    if (file && existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) if (line.trim()) this.messages.push(JSON.parse(line));
    }
  }

  add(message: OutboxMessage): void {
    this.messages.push(message);
    if (this.file) appendFileSync(this.file, `${JSON.stringify(message)}\n`);
  }

  /** Newest first, optionally for one address. */
  list(to?: string): OutboxMessage[] {
    return [...this.messages].reverse().filter((m) => !to || m.to.includes(to));
  }
}

export function createSesServer(outbox: Outbox, now: () => number): Server {
  return createServer(async (request, response) => {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method === 'GET' && request.url?.startsWith('/v2/email/account')) {
      return reply(200, { SendingEnabled: true, ProductionAccessEnabled: false, EnforcementStatus: 'HEALTHY' });
    }
    if (request.method !== 'POST' || !request.url?.startsWith('/v2/email/outbound-emails')) {
      response.setHeader('x-amzn-ErrorType', 'NotFoundException');
      return reply(404, { message: `Not supported locally: ${request.method} ${request.url}` });
    }
    try {
      const body = JSON.parse((await readBody(request, 10 * 1024 * 1024)).toString('utf8'));
      const to: string[] = body.Destination?.ToAddresses ?? [];
      if (to.length === 0 || !body.FromEmailAddress) {
        response.setHeader('x-amzn-ErrorType', 'BadRequestException');
        return reply(400, { message: 'FromEmailAddress and Destination.ToAddresses are required' });
      }
      const messageId = randomUUID();
      outbox.add({
        messageId,
        at: new Date(now()).toISOString(),
        from: body.FromEmailAddress,
        to,
        subject: body.Content?.Simple?.Subject?.Data ?? '',
        text: body.Content?.Simple?.Body?.Text?.Data ?? '',
      });
      reply(200, { MessageId: messageId });
    } catch {
      response.setHeader('x-amzn-ErrorType', 'BadRequestException');
      reply(400, { message: 'Invalid request body' });
    }
  });
}
