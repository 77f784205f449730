/** What EventBridge Scheduler (and the local scheduler) gives a schedule's function: see infra/constructs/schedule.ts. */
export interface ScheduleEvent {
  readonly schedule: string;
  readonly scheduledTime: string;
}

/** The time the fire was scheduled for, when the event says one. */
export function scheduledAt(event: ScheduleEvent): number | undefined {
  const at = Date.parse(event.scheduledTime);
  return Number.isNaN(at) ? undefined : at;
}
