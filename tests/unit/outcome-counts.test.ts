import { describe, expect, it } from 'vitest';
import { outcomeCounts } from '../../functions/domain/cases/outcome-counts.ts';

describe('what an outcome adds to the office’s counters', () => {
  const entries = (...actions: string[]) => actions.map((action) => ({ action }));

  it('counts a new case as opened, and a case leaving open as closed, once', () => {
    expect(outcomeCounts(undefined, { status: 'open' }, entries('submit'))).toEqual({ CasesOpened: 1 });
    expect(outcomeCounts({ status: 'open' }, { status: 'completed' }, entries('approve', 'complete'))).toEqual({ CasesClosed: 1, Decisions: 1 });
    expect(outcomeCounts({ status: 'completed' }, { status: 'completed' }, entries('comment'))).toEqual({});
  });

  it('tells decisions from chases, escalations and filings, and counts neither comments nor reads', () => {
    expect(outcomeCounts({ status: 'open' }, { status: 'open' }, entries('remind', 'escalate', 'chase', 'auto-approve', 'file', 'comment', 'read', 'download'))).toEqual({
      Chases: 2,
      Escalations: 1,
      Decisions: 1,
      Filings: 1,
    });
  });
});
