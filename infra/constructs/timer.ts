/**
 * A function called at times chosen at run time (a step's next chase): the functions granted
 * `timers:arm` create one-time schedules in the schedule group that call it with this role, and
 * what cannot be delivered, or still fails after Lambda's retries, lands in its dead-letter queue
 * (alarmed on, constructs/monitoring.ts). Nothing here is scheduled at deploy time.
 */
import { Construct } from 'constructs';
import type { Role } from 'aws-cdk-lib/aws-iam';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { TimerSpec } from '../topology.ts';
import type { OfficeFunction } from './office-function.ts';
import { schedulerTarget } from './schedule.ts';

/** What a function that arms the timer is told (environment) and allowed (iam:PassRole on the role). */
export interface TimerBinding {
  readonly envPrefix: string;
  readonly functionArn: string;
  readonly role: Role;
  readonly deadLetterArn: string;
}

export class Timer extends Construct {
  readonly deadLetters: Queue;
  readonly binding: TimerBinding;

  /** `functionArn`: the target's ARN built from its name, so the target itself may be told it (it arms its own next call). */
  constructor(scope: Construct, id: string, props: { spec: TimerSpec; target: OfficeFunction; functionArn: string }) {
    super(scope, id);
    const { role, deadLetters } = schedulerTarget(this, props.target, 'timer');
    this.deadLetters = deadLetters;
    this.binding = { envPrefix: props.spec.envPrefix, functionArn: props.functionArn, role, deadLetterArn: deadLetters.queueArn };
  }
}
