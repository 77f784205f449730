/**
 * The order files start in. Vitest starts the files that took longest last time first, so that the
 * short ones fill the end of the run; without that record (a fresh clone, CI) it starts the largest
 * first, and size says little here: the kill -9 cycle and the upload race, two of the longest, are
 * among the smallest. So where there is no record, the browser walks and the attacks start before
 * the rest (each group still largest first), and the short integration files fill the end.
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const LONG = /^tests\/(e2e|security)\//;

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const path = (file: TestSpecification) => relative(this.ctx.config.root, file.moduleId);
    const recorded = (file: TestSpecification) => this.ctx.cache.getFileTestResults(`${file.project.name}:${path(file)}`) !== undefined;
    if (sorted.every(recorded)) return sorted;
    // A stable sort: the project order (groupOrder) first, then the long groups, then the order above.
    const position = new Map(sorted.map((file, i) => [file, i]));
    const rank = (file: TestSpecification) => position.get(file)!;
    return [...sorted].sort((a, b) => {
      if (a.project.name !== b.project.name) return rank(a) - rank(b);
      return Number(!LONG.test(path(a))) - Number(!LONG.test(path(b))) || rank(a) - rank(b);
    });
  }
}
