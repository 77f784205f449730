/** Starts and wakes the executions that drive cases, through the Step Functions API. */
import { ExecutionAlreadyExists, ListExecutionsCommand, SendTaskSuccessCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { Workflows } from '../../domain/ports.ts';

/** Errors that mean "that token is no longer waiting": the execution moved on, which is fine. */
const SPENT = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

export class StepFunctionsWorkflows implements Workflows {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(caseId: string, execution: string): Promise<void> {
    try {
      await this.sfn.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name: execution, input: JSON.stringify({ caseId }) }));
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }

  async ended(): Promise<string[]> {
    const names: string[] = [];
    for (const statusFilter of ['FAILED', 'TIMED_OUT', 'ABORTED'] as const) {
      let nextToken: string | undefined;
      do {
        const page = await this.sfn.send(new ListExecutionsCommand({ stateMachineArn: this.stateMachineArn, statusFilter, nextToken, maxResults: 1000 }));
        names.push(...(page.executions ?? []).map((e) => e.name!));
        nextToken = page.nextToken;
      } while (nextToken);
    }
    return names;
  }

  async wake(token: string): Promise<void> {
    try {
      await this.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    } catch (error) {
      if (!(error instanceof Error && SPENT.has(error.name))) throw error;
    }
  }
}
