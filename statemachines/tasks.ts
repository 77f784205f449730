/**
 * The task functions behind the `${Placeholder}`s of the ASL files in this folder. CDK fills each
 * placeholder with the deployed function's ARN (definitionSubstitutions); the local Step Functions
 * endpoint runs the same module in process. A placeholder with no entry here fails the ASL test.
 */
import type { FunctionSpec } from '../infra/topology.ts';

export const tasks: Readonly<Record<string, FunctionSpec>> = {
  AdvanceCase: { entry: 'functions/handlers/tasks/advance-case.ts', grants: ['table:write', 'mail:send', 'files:retain', 'files:destroy'], timeoutSeconds: 60 },
  WaitForPeople: { entry: 'functions/handlers/tasks/wait-for-people.ts', grants: ['table:write', 'workflows:respond'], timeoutSeconds: 30 },
};
