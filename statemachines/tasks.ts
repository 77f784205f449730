/**
 * The task functions behind the `${Placeholder}`s of the ASL files in this folder. CDK fills each
 * placeholder with the deployed function's ARN (definitionSubstitutions); the local Step Functions
 * endpoint runs the same module in process. A placeholder with no entry here fails the ASL test.
 */
import type { FunctionSpec } from '../infra/topology.ts';

export const tasks: Readonly<Record<string, FunctionSpec>> = {
  DriveCase: { entry: 'functions/handlers/tasks/drive-case.ts', grants: ['table:write', 'mail:send', 'files:retain', 'files:destroy', 'workflows:respond', 'timers:arm'], timeoutSeconds: 60 },
};
