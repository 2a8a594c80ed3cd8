import { relative } from 'node:path';
import { integTests, PROJECT_ROOT, removeAssembly, snapshotOf, synthesizeAndCompare } from '../../scripts/integ/integ-tests';

// The integration tests deploy to a real account only on demand (npm run integ:deploy); here
// each is synthesized offline and compared with its committed snapshot, so a change to what
// would be deployed, the handler bundle included (its hash is in the template), shows in review.
const tests = integTests();

test('there is an integration test', () => {
  expect(tests.map((test) => relative(PROJECT_ROOT, test))).toContain('test/integ.email-address-alias.ts');
});

test.each(tests.map((test) => [relative(PROJECT_ROOT, test), test]))(
  '%s synthesizes to its committed snapshot',
  (_name, test) => {
    const { assembly, differences } = synthesizeAndCompare(test);
    removeAssembly(assembly);
    if (differences.length > 0) {
      throw new Error(
        `${relative(PROJECT_ROOT, snapshotOf(test))} is out of date:\n  ${differences.join('\n  ')}\n` +
          'Run `npm run integ:update` and commit the snapshot.',
      );
    }
  },
  120_000,
);
