/**
 * vitest's default reporter, plus one closing line that CI reads: `N passed, N failed, N skipped`, counting
 * test cases (not files). A test file that fails before any of its tests fail (a syntax or import error, a
 * failing beforeAll) counts as one failed test, so the line never says "0 failed" for a failed run.
 */
import { DefaultReporter, type TestModule } from 'vitest/node';

export interface RunCounts {
  passed: number;
  failed: number;
  skipped: number;
}

/** Counts test cases by state across modules; tests that never ran (pending) count as skipped. */
export function countTests(
  testModules: ReadonlyArray<TestModule>,
  unhandledErrors: ReadonlyArray<unknown> = [],
): RunCounts {
  const counts: RunCounts = { passed: 0, failed: 0, skipped: 0 };
  for (const module of testModules) {
    let failedHere = 0;
    for (const test of module.children.allTests()) {
      const state = test.result().state;
      if (state === 'passed') counts.passed++;
      else if (state === 'failed') failedHere++;
      else counts.skipped++;
    }
    if (failedHere === 0 && module.state() === 'failed') failedHere = 1;
    counts.failed += failedHere;
  }
  // Errors outside any test (an unhandled rejection) fail the run; count them so the line agrees.
  counts.failed += unhandledErrors.length;
  return counts;
}

export default class CountingReporter extends DefaultReporter {
  override onTestRunEnd(...args: Parameters<DefaultReporter['onTestRunEnd']>): void {
    const [testModules, unhandledErrors] = args;
    super.onTestRunEnd(...args);
    const { passed, failed, skipped } = countTests(testModules, unhandledErrors);
    this.ctx.logger.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  }
}
