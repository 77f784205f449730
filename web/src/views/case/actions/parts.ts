/**
 * What an action's form is made of, gathered as each kind of control is added to it (comment.ts,
 * people.ts, approve.ts…): the controls in order, how each field says a problem, and how each is
 * read into the action's body. form.ts puts them in the form and sends what they read.
 */
import type { Child } from '../../../dom.ts';
import type { FieldControl } from '../../../fields-form.ts';
import type { CaseView, HumanStep } from '../../../types.ts';
import type { CaseHost } from '../host.ts';

export type CaseAction = CaseView['actions'][number];

export class FormParts {
  readonly controls: Child[] = [];
  /** By the body's key (`comment`, `to`…): says a problem under the field, or clears it. */
  readonly errors = new Map<string, (message: string | undefined) => void>();
  /** Each reads its controls into the body, or throws a FieldProblem. */
  readonly readers: (() => Record<string, unknown>)[] = [];
  /** A step's own entries (approve), to which the API's `fields.…` problems are said. */
  inputs: FieldControl[] = [];

  constructor(
    readonly action: CaseAction,
    readonly host: CaseHost,
    /** The step the form decides (none while the case is back with the applicant). */
    readonly step: HumanStep | undefined,
  ) {}
}

/** A field read as not fit to send: said under it, and focus put there. */
export class FieldProblem extends Error {
  constructor(
    readonly key: string,
    message: string,
    readonly control?: FieldControl,
  ) {
    super(message);
    this.name = 'FieldProblem';
  }
}
