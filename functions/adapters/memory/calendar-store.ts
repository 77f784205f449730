/** The organisation's calendar overrides in memory: one record, replaced only from the version read (else ConflictError). */
import { ConflictError } from '../../domain/errors.ts';
import type { CalendarOverride } from '../../domain/calendar/working-calendar.ts';
import type { CalendarStore, Clock } from '../../domain/ports.ts';
import { copy, roundTrip } from './items.ts';

interface StoredCalendar {
  readonly version: number;
  readonly overrides: CalendarOverride[];
  readonly updatedAt?: string;
  readonly updatedBy?: string;
}

export class MemoryCalendarStore implements CalendarStore {
  private stored: StoredCalendar = { version: 0, overrides: [] };

  constructor(private readonly clock: Clock) {}

  async current(_options: { maxAgeMs?: number } = {}): Promise<StoredCalendar> {
    await roundTrip();
    return copy(this.stored);
  }

  async replace(overrides: CalendarOverride[], expectedVersion: number, by: string): Promise<{ version: number; overrides: CalendarOverride[] }> {
    await roundTrip();
    if (this.stored.version !== expectedVersion) {
      throw new ConflictError('工作日历已被他人修改，请刷新后重试。The calendar was changed by someone else: reload and try again.', 'stale-version');
    }
    const version = expectedVersion + 1;
    this.stored = { version, overrides: copy(overrides), updatedAt: new Date(this.clock.now()).toISOString(), updatedBy: by };
    return { version, overrides: copy(overrides) };
  }
}
