/**
 * A state machine from an ASL file in statemachines/, its `${Placeholder}`s filled with the task
 * functions' ARNs — the same file the local engine runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArnFormat, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { StateMachineSpec } from '../topology.ts';
import { placeholders } from '../../local/stepfunctions/asl-local.ts';
import { invokeFindingId, REPO_ROOT, type OfficeFunction } from './office-function.ts';

export class Workflow extends Construct {
  readonly stateMachine: StateMachine;
  /**
   * The machine's ARN built from its name, not from the resource: a task function that also starts
   * executions or answers tokens can then be granted that without a dependency cycle.
   */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: { spec: StateMachineSpec; tasks: Readonly<Record<string, OfficeFunction>> }) {
    super(scope, id);
    const stack = Stack.of(this);
    // Named after the stack (which carries the stage), so two stages fit one account.
    const name = `${stack.stackName}-${props.spec.id}`;
    this.arn = stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    // The vended-logs prefix keeps the account's CloudWatch Logs resource policy small. The group is
    // retained with the stack's other logs; the stack's own id (a new one for each stack created)
    // ends its name, so a replaced stack makes a group of its own beside the retained one.
    const stackUuid = Fn.select(2, Fn.split('/', stack.stackId));
    const logs = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${name}-${stackUuid}`,
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const definitionPath = join(REPO_ROOT, props.spec.definition);
    // Only the tasks this machine names: it may invoke nothing else.
    const used = placeholders(readFileSync(definitionPath, 'utf8'));
    const missing = used.filter((p) => !props.tasks[p]);
    if (missing.length > 0) throw new Error(`${props.spec.definition}: no task function for ${missing.join(', ')}`);
    const tasks = Object.fromEntries(used.map((p) => [p, props.tasks[p]!]));
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: name,
      definitionBody: DefinitionBody.fromFile(definitionPath),
      definitionSubstitutions: Object.fromEntries(Object.entries(tasks).map(([placeholder, fn]) => [placeholder, fn.functionArn])),
      // Every state transition, but not the case data in it: logs outlive the records' access rules.
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    for (const fn of new Set(Object.values(tasks))) {
      fn.grantInvoke(this.stateMachine);
      Validations.of(this.stateMachine.role).acknowledge({
        id: invokeFindingId(fn),
        reason: 'lambda:InvokeFunction on the task function and its versions; the function is this machine’s own task.',
      });
    }
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray tracing and CloudWatch Logs delivery for Step Functions have no resource-level permissions.',
    });
  }
}
