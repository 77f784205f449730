/**
 * A step's next chase as a one-time EventBridge Scheduler schedule calling the chase task, deleted
 * once it has run. The name is the case, the step and the time, so arming the same chase again
 * finds it there (ConflictException) and adds nothing, and the chase of a step the case has left
 * can be found to be deleted (DeleteSchedule is free; the invocation it saves is not).
 */
import { ConflictException, CreateScheduleCommand, DeleteScheduleCommand, ResourceNotFoundException, type SchedulerClient } from '@aws-sdk/client-scheduler';
import type { Chases } from '../../domain/ports.ts';

/** Where a chase calls, set by CDK (constructs/timer.ts) and by local/ on the functions that arm one. */
export interface ChaseTarget {
  readonly group: string;
  /** The chase task function. */
  readonly arn: string;
  /** The role Scheduler calls it with. */
  readonly roleArn: string;
  /** Where a call that cannot be delivered is kept. */
  readonly deadLetterArn?: string;
}

/** Reads the chase target from the environment, failing fast on a function not given one. */
export function chaseTargetFromEnv(group: string): ChaseTarget {
  const arn = process.env.CHASE_TARGET_ARN;
  const roleArn = process.env.CHASE_ROLE_ARN;
  if (!arn || !roleArn) throw new Error('Missing environment variable CHASE_TARGET_ARN or CHASE_ROLE_ARN (grant timers:arm)');
  return { group, arn, roleArn, deadLetterArn: process.env.CHASE_DEAD_LETTER_ARN || undefined };
}

/**
 * `at(yyyy-mm-ddThh:mm:00)` in UTC, rounded up to the minute: Scheduler fires within the minute it
 * names (60-second precision), so never before the time asked, and at most a minute after it.
 */
export function atExpression(at: string): { expression: string; seconds: number } {
  const seconds = Math.ceil(Date.parse(at) / 60_000) * 60;
  return { expression: `at(${new Date(seconds * 1000).toISOString().slice(0, 19)})`, seconds };
}

export class SchedulerChases implements Chases {
  constructor(
    private readonly scheduler: SchedulerClient,
    private readonly target: ChaseTarget,
  ) {}

  async arm(chase: { caseId: string; stepKey: string; at: string }): Promise<void> {
    const { expression } = atExpression(chase.at);
    const name = scheduleName(chase);
    try {
      await this.scheduler.send(
        new CreateScheduleCommand({
          Name: name,
          GroupName: this.target.group,
          ScheduleExpression: expression,
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Target: {
            Arn: this.target.arn,
            RoleArn: this.target.roleArn,
            Input: JSON.stringify({ caseId: chase.caseId, stepKey: chase.stepKey }),
            RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
            DeadLetterConfig: this.target.deadLetterArn ? { Arn: this.target.deadLetterArn } : undefined,
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
    }
  }

  async disarm(chase: { caseId: string; stepKey: string; at: string }): Promise<void> {
    try {
      await this.scheduler.send(new DeleteScheduleCommand({ Name: scheduleName(chase), GroupName: this.target.group }));
    } catch (error) {
      // Fired already (and deleted after it ran), or never armed at that time.
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  }
}

/**
 * 1–64 of [0-9a-zA-Z-_.]: a case id is a date and hex, a step key `index.round`, the time in base-36
 * seconds. The `chase-` prefix is what the functions' grants reach (infra/constructs/office-function.ts).
 */
function scheduleName(chase: { caseId: string; stepKey: string; at: string }): string {
  return `chase-${chase.caseId}-${chase.stepKey}-${atExpression(chase.at).seconds.toString(36)}`.replace(/[^0-9a-zA-Z._-]/g, '_').slice(0, 64);
}
