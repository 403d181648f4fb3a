import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A timeout only catches a hang: it must sit far above what a test takes on a loaded 2-core CI
    // machine, where durations vary tenfold (the 3,000-row eval in report-eval.test.ts takes 5 s
    // beside a light load and took 56 s at load average 12, against the 60 s this was before).
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
