import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snapshotDifferences, writeSnapshot } from '../../scripts/integ/snapshot';

let root: string;
const assembly = () => join(root, 'assembly');
const snapshot = () => join(root, 'snapshot');
const template = (resources: Record<string, unknown>) => JSON.stringify({ Resources: resources });
const assertion = (salt: string) => ({ Type: 'Custom::DeployAssert@SdkCallConnectDescribe', Properties: { api: 'X', salt } });

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'snapshot-test-'));
  mkdirSync(join(assembly(), 'asset.abc'), { recursive: true });
  writeFileSync(join(assembly(), 'asset.abc', 'index.js'), '');
  writeFileSync(join(assembly(), 'Stack.template.json'), template({ Fn: { Type: 'AWS::Lambda::Function' }, Check: assertion('1') }));
  writeFileSync(join(assembly(), 'Stack.metadata.json'), JSON.stringify({ trace: [`at x (${join(root, 'lib', 'a.ts')}:1:1)`] }));
  writeSnapshot(assembly(), snapshot(), root);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

test('the snapshot leaves out asset folders and paths of the checkout', () => {
  expect(() => readFileSync(join(snapshot(), 'asset.abc', 'index.js'))).toThrow();
  expect(readFileSync(join(snapshot(), 'Stack.metadata.json'), 'utf8')).toContain('at x (lib/a.ts:1:1)');
});

test('only the synthesis time of assertions may change', () => {
  writeFileSync(join(assembly(), 'Stack.template.json'), template({ Fn: { Type: 'AWS::Lambda::Function' }, Check: assertion('2') }));
  expect(snapshotDifferences(assembly(), snapshot())).toEqual([]);
});

test('a changed, added or removed resource or template is named', () => {
  writeFileSync(join(assembly(), 'Stack.template.json'), template({ Fn: { Type: 'AWS::Lambda::Url' }, New: { Type: 'X' } }));
  writeFileSync(join(assembly(), 'Other.template.json'), template({}));
  expect(snapshotDifferences(assembly(), snapshot())).toEqual([
    'Other.template.json is new',
    'Stack.template.json: resources Fn, Check, New differ',
  ]);
});
