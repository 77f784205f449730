/**
 * What a section of the case page gets from the page: the case as last read, what it is read
 * against, the page's status line and its redraws. Each section owns its own DOM and state; the
 * page owns the case and the order they are drawn in (page.ts).
 */
import { h, type Child } from '../../dom.ts';
import type { CaseView, Definition, Org } from '../../types.ts';

export interface CaseHost {
  /** Where the page is drawn; gone from the document once another page replaces it. */
  readonly main: HTMLElement;
  /** The case as last read (a decision's version is taken from it). */
  readonly c: CaseView;
  readonly definition: Definition | undefined;
  readonly org: Org | undefined;
  /** Says something in the status line under the heading, in place of what it said. */
  say(message: HTMLElement): void;
  /**
   * Reads the case again (after a decision, an upload, a conflict, an opened file) and redraws it,
   * keeping what was typed into an open form. The status line keeps its message unless given one.
   */
  reload(message?: HTMLElement): Promise<void>;
  /** Draws the page again from the case as held (a section's own state changed). */
  render(): void;
}

/** A card of the page with its heading, labelled by it (`{id}-heading`). */
export function section(title: string, id: string, ...children: Child[]): HTMLElement {
  const headingId = `${id}-heading`;
  return h('section', { class: 'card', id, 'aria-labelledby': headingId }, h('h2', { id: headingId }, title), ...children);
}
