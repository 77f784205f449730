/**
 * How the local engine runs an ASL file with aws-local-stepfunctions while keeping AWS's timing
 * semantics. The library's own timers are real-time setTimeouts (a 60-day wait would overflow and
 * fire at once, and tests could not move time), so before it sees a definition:
 * - every Task keeps its state name but loses its timeout and heartbeat fields: the engine
 *   enforces them on the injected clock; the library's own timer is neutralised;
 * - every Wait becomes a Task of the same name that the engine completes on the injected clock.
 * The original fields are kept per state name for the engine to read.
 *
 * Known differences, kept small on purpose:
 * - TimeoutSecondsPath/HeartbeatSecondsPath are read from the state's effective input (after
 *   Parameters), as the library reads them; AWS reads them from the state's input, so an ASL that
 *   uses them keeps the value at the same path before and after Parameters (ours uses fixed
 *   TimeoutSeconds only).
 * - waitForTaskToken inside Parallel or Map is refused (a failed sibling's tokens would outlive it).
 * - `$$.Execution.StartTime` is read as `$$.Execution.ClockStartTime`: the library overwrites
 *   StartTime with the real time, and the engine supplies the injected clock's under the other name.
 */
import { MAX_TIMER_MS } from '../clock.ts';

/**
 * The TimeoutSeconds the library is given for every Task: a marker value the engine recognises
 * and neutralises (see swallowLibraryTimeout in engine.ts); it never fires.
 */
export const LIBRARY_TIMEOUT_CEILING_SECONDS = Math.floor(MAX_TIMER_MS / 1000);

/** Resource the rewritten Wait states carry; it is never invoked (the engine handles them by name). */
const LOCAL_WAIT_RESOURCE = 'arn:aws:lambda:us-east-1:000000000000:function:LocalWait';

export const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
export const LAMBDA_INVOKE_WAIT_FOR_TOKEN = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

type Json = Record<string, unknown>;

/** Where the local engine puts the execution's start time on the injected clock. */
export const CLOCK_START_TIME = '$$.Execution.ClockStartTime';

export interface OriginalState {
  readonly type: 'Task' | 'Wait';
  readonly state: Json;
}

export interface LocalDefinition {
  /** What the library runs. */
  readonly definition: Json;
  /** Task and Wait states as written, by state name. */
  readonly states: ReadonlyMap<string, OriginalState>;
  /** The machine's own TimeoutSeconds, enforced by the engine. */
  readonly timeoutSeconds?: number;
}

export function prepareForLocalEngine(definition: Json): LocalDefinition {
  const problems = localSubsetProblems(definition);
  if (problems.length > 0) {
    throw new Error(`Not in the ASL subset the local engine runs:\n- ${problems.join('\n- ')}`);
  }
  const states = new Map<string, OriginalState>();
  // The library sets StartTime to the real time; the engine passes the clock's start as ClockStartTime.
  const { TimeoutSeconds, ...root } = JSON.parse(JSON.stringify(definition).replaceAll('$$.Execution.StartTime', () => CLOCK_START_TIME)) as Json;
  rewrite(root, states);
  return {
    definition: root,
    states,
    timeoutSeconds: typeof TimeoutSeconds === 'number' ? TimeoutSeconds : undefined,
  };
}

function rewrite(machine: Json, originals: Map<string, OriginalState>): void {
  const states = machine.States as Record<string, Json>;
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === 'Task') {
      originals.set(name, { type: 'Task', state: structuredClone(state) });
      const { TimeoutSeconds, TimeoutSecondsPath, HeartbeatSeconds, HeartbeatSecondsPath, ...rest } = state;
      states[name] = { ...rest, ...heartbeatAsTimeout(rest), TimeoutSeconds: LIBRARY_TIMEOUT_CEILING_SECONDS };
    } else if (state.Type === 'Wait') {
      originals.set(name, { type: 'Wait', state: structuredClone(state) });
      const task: Json = { Type: 'Task', Resource: LOCAL_WAIT_RESOURCE, TimeoutSeconds: LIBRARY_TIMEOUT_CEILING_SECONDS };
      for (const key of ['Comment', 'InputPath', 'OutputPath', 'Next', 'End']) {
        if (key in state) task[key] = state[key];
      }
      states[name] = task;
    } else if (state.Type === 'Parallel') {
      for (const branch of state.Branches as Json[]) rewrite(branch, originals);
    } else if (state.Type === 'Map') {
      rewrite((state.ItemProcessor ?? state.Iterator) as Json, originals);
    }
  }
}

/**
 * In AWS a missed heartbeat is also a States.Timeout: a Retry or Catch on States.Timeout catches
 * the engine's States.HeartbeatTimeout too.
 */
function heartbeatAsTimeout(state: Json): Json {
  const widen = (rules: unknown) =>
    (rules as Json[] | undefined)?.map((rule) => {
      const errors = rule.ErrorEquals as string[];
      return errors.includes('States.Timeout') && !errors.includes('States.HeartbeatTimeout') ? { ...rule, ErrorEquals: [...errors, 'States.HeartbeatTimeout'] } : rule;
    });
  const out: Json = {};
  if (state.Retry) out.Retry = widen(state.Retry);
  if (state.Catch) out.Catch = widen(state.Catch);
  return out;
}

/**
 * What an ASL file may use and still run locally exactly as in AWS. The ASL test runs this on
 * every file in statemachines/, so a state the local engine cannot honour is caught before deploy.
 */
export function localSubsetProblems(definition: Json): string[] {
  const problems: string[] = [];
  if (definition.QueryLanguage === 'JSONata') problems.push('QueryLanguage JSONata is not supported; use JSONPath');
  const names = new Set<string>();
  walk(definition, names, problems);
  return problems;
}

function walk(machine: Json, names: Set<string>, problems: string[], inBranch = false): void {
  const states = (machine.States ?? {}) as Record<string, Json>;
  for (const [name, state] of Object.entries(states)) {
    if (names.has(name)) problems.push(`${name}: state names must be unique across the machine`);
    names.add(name);
    if (state.QueryLanguage === 'JSONata') problems.push(`${name}: QueryLanguage JSONata is not supported`);
    // The library writes a property named "$" instead of replacing the input; "$" is the default anyway.
    if (state.ResultPath === '$') problems.push(`${name}: omit ResultPath "$" (it is the default)`);
    for (const list of ['Retry', 'Catch'] as const) {
      for (const rule of (state[list] ?? []) as Json[]) {
        if ((rule.ErrorEquals as string[]).includes('States.TaskFailed')) {
          // The library cannot tell the engine's States.Timeout from a task failure here.
          problems.push(`${name}: ${list} on States.TaskFailed; name the errors or use States.ALL`);
        }
      }
    }
    if (state.Type === 'Task') {
      const resource = String(state.Resource);
      const params = (state.Parameters ?? {}) as Json;
      if (resource === LAMBDA_INVOKE || resource === LAMBDA_INVOKE_WAIT_FOR_TOKEN) {
        if (typeof params.FunctionName !== 'string') problems.push(`${name}: lambda:invoke needs Parameters.FunctionName`);
      } else if (!/^\$\{\w+\}$/.test(resource) && !/^arn:aws:lambda:/.test(resource)) {
        problems.push(`${name}: resource ${resource} is not a Lambda function or lambda:invoke`);
      }
      if (resource === LAMBDA_INVOKE_WAIT_FOR_TOKEN && inBranch) {
        // A failed sibling branch aborts the others in AWS; the library does not tell the engine, so their tokens would live on.
        problems.push(`${name}: waitForTaskToken inside Parallel or Map is not supported locally`);
      }
      if (resource === LAMBDA_INVOKE_WAIT_FOR_TOKEN && !JSON.stringify(params).includes('$$.Task.Token')) {
        problems.push(`${name}: waitForTaskToken needs $$.Task.Token in Parameters`);
      }
      for (const path of ['TimeoutSecondsPath', 'HeartbeatSecondsPath']) {
        if (path in state && !String(state[path]).startsWith('$.')) problems.push(`${name}: ${path} must start with $.`);
      }
    }
    if (state.Type === 'Map' && ('ItemReader' in state || 'ResultWriter' in state)) {
      problems.push(`${name}: distributed Map (ItemReader/ResultWriter) is not supported`);
    }
    if (state.Type === 'Parallel') for (const branch of state.Branches as Json[]) walk(branch, names, problems, true);
    if (state.Type === 'Map') walk((state.ItemProcessor ?? state.Iterator) as Json, names, problems, true);
  }
}

/** `${Name}` placeholders in an ASL text, as CDK's definitionSubstitutions sees them. */
export function placeholders(aslText: string): string[] {
  return [...new Set([...aslText.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]!))];
}

/** Fills `${Name}` placeholders the way CDK does, here with local function ARNs. */
export function substitute(aslText: string, values: Readonly<Record<string, string>>): string {
  return aslText.replace(/\$\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
