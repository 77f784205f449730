/** Email in memory: the outbox SES would have sent, readable by tests; an address can be made to fail. */
import type { Mailer } from '../../domain/ports.ts';
import { roundTrip } from './items.ts';

export interface SentMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly messageId: string;
}

export class MemoryMailer implements Mailer {
  readonly sent: SentMail[] = [];
  /** Addresses SES refuses (as for an unverified address in the sandbox). */
  readonly refusing = new Set<string>();

  async send(message: { to: string; subject: string; text: string }): Promise<{ messageId: string }> {
    await roundTrip();
    if (this.refusing.has(message.to)) throw Object.assign(new Error(`Email address is not verified: ${message.to}`), { name: 'MessageRejected' });
    const messageId = `memory-${this.sent.length + 1}`;
    this.sent.push({ ...message, messageId });
    return { messageId };
  }
}
