/** A clock a test sets and moves by hand: use cases read it; nothing waits on it. */
import type { Clock } from '../../domain/ports.ts';

export class MemoryClock implements Clock {
  constructor(private at: number) {}

  now(): number {
    return this.at;
  }

  set(iso: string): void {
    this.at = Date.parse(iso);
  }

  advance(ms: number): void {
    this.at += ms;
  }
}
