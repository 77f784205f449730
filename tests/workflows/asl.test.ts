import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import aslValidator from 'asl-validator';
import { topology } from '../../infra/topology.ts';
import { localSubsetProblems, placeholders, substitute } from '../../local/stepfunctions/asl-local.ts';

const files = [
  ...readdirSync('statemachines').filter((f) => f.endsWith('.asl.json')).map((f) => join('statemachines', f)),
  ...readdirSync('tests/workflows/fixtures').filter((f) => f.endsWith('.asl.json')).map((f) => join('tests/workflows/fixtures', f)),
];

/** Fills placeholders with well-formed ARNs, as CDK's definitionSubstitutions would. */
function asDeployed(text: string) {
  const arns = Object.fromEntries(placeholders(text).map((p) => [p, `arn:aws:lambda:us-east-1:123456789012:function:${p}`]));
  return JSON.parse(substitute(text, arns));
}

describe('every ASL file', () => {
  it('is found (the list is not empty)', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s passes asl-validator and stays in the local engine’s subset', (file) => {
    const definition = asDeployed(readFileSync(file, 'utf8'));
    const result = aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
    expect(localSubsetProblems(definition)).toEqual([]);
  });

  it.each(files.filter((f) => f.startsWith('statemachines/')))('%s has a task function for every placeholder', (file) => {
    const missing = placeholders(readFileSync(file, 'utf8')).filter((p) => !(p in topology.tasks));
    expect(missing).toEqual([]);
  });

  it('every state machine in the topology points at an existing ASL file', () => {
    for (const sm of topology.stateMachines) expect(files).toContain(sm.definition);
  });
});

describe('the checks themselves', () => {
  const broken = {
    StartAt: 'A',
    States: {
      A: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, Retry: [{ ErrorEquals: ['States.TaskFailed'] }], Next: 'Missing' },
    },
  };

  it('asl-validator refuses a transition to a state that does not exist', () => {
    expect(aslValidator(structuredClone(broken)).isValid).toBe(false);
  });

  it('the subset check refuses what the local engine cannot run as AWS does', () => {
    const problems = localSubsetProblems({
      QueryLanguage: 'JSONata',
      StartAt: 'A',
      States: {
        ...broken.States,
        B: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true },
        C: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'f' }, End: true },
      },
    });
    expect(problems.join('\n')).toMatch(/JSONata/);
    expect(problems.join('\n')).toMatch(/A: Retry on States.TaskFailed/);
    expect(problems.join('\n')).toMatch(/B: resource arn:aws:states:::sqs:sendMessage/);
    expect(problems.join('\n')).toMatch(/C: waitForTaskToken needs \$\$.Task.Token/);
  });
});
