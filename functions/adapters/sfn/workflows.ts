/** Starts, wakes and reads the executions that drive cases, through the Step Functions API. */
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { ValidationError } from '../../domain/errors.ts';
import type { ExecutionSummary, Workflows } from '../../domain/ports.ts';
import { MAX_CAUSE, peopleEvents } from './history-events.ts';

/** Events read before a page that starts inside a state, to name it: a task's retries fit (six attempts, four events each). */
const CONTEXT_EVENTS = 30;

/** Whether the page's first event is one that does not name its own state (a task's events do not). */
const needsContext = (events: readonly HistoryEvent[]) => events.length > 0 && !events[0]!.stateEnteredEventDetails && !String(events[0]!.type).startsWith('Execution');

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

  async wake(token: string): Promise<boolean> {
    try {
      await this.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
      return true;
    } catch (error) {
      if (!(error instanceof Error && SPENT.has(error.name))) throw error;
      return false;
    }
  }

  async fail(token: string, error: string, cause: string): Promise<boolean> {
    try {
      await this.sfn.send(new SendTaskFailureCommand({ taskToken: token, error, cause }));
      return true;
    } catch (failure) {
      if (!(failure instanceof Error && SPENT.has(failure.name))) throw failure;
      return false;
    }
  }

  async describe(execution: string): Promise<ExecutionSummary | undefined> {
    try {
      const e = await this.sfn.send(new DescribeExecutionCommand({ executionArn: this.arnOf(execution) }));
      return {
        name: e.name!,
        arn: e.executionArn!,
        status: e.status!,
        startedAt: e.startDate!.toISOString(),
        stoppedAt: e.stopDate?.toISOString(),
        error: e.error,
        // A failed execution's cause is the task's error record, stack and all: shown cut, as in the history.
        cause: e.cause?.slice(0, MAX_CAUSE),
      };
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return undefined;
      throw error;
    }
  }

  /**
   * Newest first from Step Functions (reverseOrder), turned round for the page. Execution data
   * (inputs, outputs, parameters) is not asked for: people see what happened where, not case data.
   */
  async history(execution: string, page: { limit: number; cursor?: string }) {
    const read = (maxResults: number, nextToken?: string) =>
      this.sfn.send(new GetExecutionHistoryCommand({ executionArn: this.arnOf(execution), reverseOrder: true, includeExecutionData: false, maxResults, nextToken }));
    try {
      const reply = await read(page.limit, page.cursor);
      const events = [...(reply.events ?? [])].reverse();
      // A page that starts inside a state: the events just before it say which state that is.
      const context = reply.nextToken && needsContext(events) ? [...((await read(CONTEXT_EVENTS, reply.nextToken)).events ?? [])].reverse() : [];
      return { events: peopleEvents([...context, ...events]).slice(context.length), earlier: reply.nextToken };
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return { events: [] };
      // A cursor Step Functions does not take: expired (after 24 hours), or not one of its own.
      if (error instanceof Error && error.name === 'InvalidToken') {
        throw new ValidationError('翻页游标无效，请从第一页重新查看。Invalid cursor: start again from the first page.', 'next');
      }
      throw error;
    }
  }

  /** Executions of a standard state machine: `arn:…:execution:<state machine name>:<execution name>`. */
  private arnOf(execution: string): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${execution}`;
  }
}
