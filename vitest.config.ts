import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // tests/reporter.ts extends the default reporter and prints `N passed, N failed, N skipped` last.
    reporters: ['./tests/reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Browser tests raise their own timeouts (vi.setConfig in the file): a site build takes seconds.
  },
});
