/** Given: the local Step Functions endpoint on a free port, with a manual clock and in-process task functions. */
import { readFileSync } from 'node:fs';
import { SFNClient } from '@aws-sdk/client-sfn';
import { ManualClock } from '../../local/clock.ts';
import { close, listen } from '../../local/http-util.ts';
import { LocalStepFunctions, type TaskFunction } from '../../local/stepfunctions/engine.ts';
import { createStepFunctionsServer } from '../../local/stepfunctions/server.ts';
import { substitute } from '../../local/stepfunctions/asl-local.ts';

export async function givenLocalStepFunctions(tasks: Record<string, TaskFunction>) {
  const clock = new ManualClock(new Date('2026-09-30T02:00:00Z'));
  const engine = new LocalStepFunctions({
    clock,
    resolveTask: async (functionName) => {
      const name = functionName.split(':function:')[1]?.split(':')[0] ?? functionName;
      const fn = tasks[name];
      if (!fn) throw new Error(`No task function ${name}`);
      return fn;
    },
  });
  const server = createStepFunctionsServer(engine);
  const port = await listen(server, '127.0.0.1', 0);
  const sfn = new SFNClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const names = Object.fromEntries(Object.keys(tasks).map((name) => [name, engine.functionArn(name)]));
  return {
    clock,
    engine,
    sfn,
    /** Loads an ASL file the way CDK would, placeholders filled with the local functions. */
    definition: (path: string) => substitute(readFileSync(path, 'utf8'), names),
    stop: async () => {
      engine.stopAll();
      sfn.destroy();
      await close(server);
    },
  };
}
