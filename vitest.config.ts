import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * Files that run long for their size (they wait on heartbeats, leases and outages, or start
 * a hundred processes), longest first. Vitest starts unknown files largest first, so these
 * small ones started last and left one worker alone with a minute of work at the end of the
 * run: started first, the other worker fills that time with the short files. The two races
 * of a hundred processes or more (each saturates both cores) are kept apart by files that
 * mostly wait. Order only; a file missing from the list runs as before.
 */
const LONG_FIRST = [
  'tests/e2e/concurrentWriters.test.ts',
  'tests/e2e/maintenanceWindow.test.ts',
  'tests/e2e/jobChaos.test.ts',
  'tests/e2e/agentOutage.test.ts',
  'tests/e2e/messageRaces.test.ts',
  'tests/e2e/cacheDamage.test.ts',
  'tests/e2e/hostileReaders.test.ts',
  'tests/e2e/jsonEverywhere.test.ts',
  'tests/e2e/jobs.test.ts',
  'tests/e2e/jobPartition.test.ts',
  'tests/e2e/localFleet.test.ts',
  'tests/e2e/relay.test.ts',
  'tests/e2e/scheduledCompaction.test.ts',
  'tests/e2e/jobKinds.test.ts',
];

class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const i = LONG_FIRST.findIndex((file) => spec.moduleId.replaceAll('\\', '/').endsWith(file));
      return i === -1 ? LONG_FIRST.length : i;
    };
    return sorted
      .map((spec, i) => ({ spec, i, rank: rank(spec) }))
      .sort((a, b) => a.rank - b.rank || a.i - b.i)
      .map(({ spec }) => spec);
  }
}

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'dashboard/src/**/*.test.ts', 'tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/globalSetup.ts'],
    pool: 'forks',
    // Two cores: more workers only make the process-based tests fight for CPU.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    sequence: { sequencer: LongFirstSequencer },
  },
});
