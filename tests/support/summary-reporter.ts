import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends the run with one plain line, `N passed, N failed, N skipped`, that any CI log reader understands, and
 * a second one naming the files whose hooks or loading failed outside any test (their tests may all have passed).
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const count = { passed: 0, failed: 0, skipped: 0 };
    const brokenFiles: string[] = [];
    for (const module of testModules) {
      if (module.errors().length > 0) brokenFiles.push(module.moduleId);
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') count.passed++;
        else if (state === 'failed') count.failed++;
        else count.skipped++;
      }
    }
    process.stdout.write(`\n${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped\n`);
    if (brokenFiles.length > 0) process.stdout.write(`${brokenFiles.length} file(s) failed outside their tests: ${brokenFiles.join(', ')}\n`);
  }
}
