import * as path from 'path';
import { EmailAddressAlias } from '../../lib';
import { aliasProps, newStack } from './stacks';

const BUNDLE = path.join('assets', 'handler', 'index.js');

// As in a checkout where `npm run build` has not run yet.
jest.mock('fs', () => {
  const actual = jest.requireActual('fs');
  return { ...actual, existsSync: (file: string) => !String(file).endsWith(BUNDLE) && actual.existsSync(file) };
});

test('a missing handler bundle is reported with the fix', () => {
  expect(() => new EmailAddressAlias(newStack(), 'Alias', aliasProps(0))).toThrow(
    /handler bundle is missing from .*assets\/handler: run `npm run build`/,
  );
});
