import { defineConfig } from 'vitest/config';

/**
 * unit: the process rules, the handlers against mocked AWS clients, and the synthesized CDK
 * template. integration: the local stack (DynamoDB Local, aws-ses-v2-local, the API stand-in)
 * driven over HTTP, started once for the whole run.
 */
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/domain/**/*.test.ts', 'test/handlers/**/*.test.ts', 'test/infra/**/*.test.ts', 'test/web/**/*.test.ts'],
          setupFiles: ['test/handlers/settings.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/browser/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          // One shared stack: files take turns, so a count of the table means what it says.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // A page or worker on a loaded CI machine can take seconds to show what it will show.
          expect: { poll: { timeout: 15_000 } },
        },
      },
    ],
  },
});
