import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ALIAS_RESOURCE_TYPE, AliasResourceProperties } from '../../lib/resource-properties';
import { runCommand } from '../../scripts/run-command';
import { ALIAS_ADDRESS_ID, CONSUMER_STACK, PRIMARY_ADDRESS_ID, installAndSynthesize, nagAnnotations, writeConsumerApp } from './consumer-app';
import { assertBuildIsFresh, expectedPackageFiles, packProject, PackedTarball } from './pack';

// What a user gets from the registry: the tarball `npm publish` would upload, installed into a
// new CDK app outside this repository (so nothing resolves from this repository's node_modules),
// then synthesized. The install is served by the npm cache that `npm ci` filled.
const projectRoot = join(__dirname, '..', '..');

interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

let work: string;
let tarball: PackedTarball;

beforeAll(() => {
  assertBuildIsFresh(projectRoot);
  work = mkdtempSync(join(tmpdir(), 'alias-package-'));
  tarball = packProject(projectRoot, work);
}, 60_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the tarball holds exactly the compiled construct, the bundled handler and the documents', () => {
  expect(tarball.files).toEqual(expectedPackageFiles(projectRoot));
});

describe('installed into a new CDK app and synthesized', () => {
  let outdir: string;
  let resources: Record<string, TemplateResource>;
  const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);

  beforeAll(() => {
    const app = join(work, 'app');
    outdir = join(work, 'cdk.out');
    mkdirSync(app);
    writeConsumerApp(app, tarball.path, projectRoot, {}, [2, 3]);
    resources = installAndSynthesize(app, outdir).Resources;
  }, 180_000);

  test('cdk-nag 2 and 3, registered as their READMEs say, leave nothing unsuppressed (3 would have failed the synthesis)', () => {
    expect(nagAnnotations(outdir)).toEqual([]);
  });

  test('both aliases are custom resources served by one handler function', () => {
    expect(ofType(ALIAS_RESOURCE_TYPE)).toHaveLength(2);
    expect(ofType('AWS::Lambda::Function')).toHaveLength(1);
  });

  test('the alias declared with CfnEmailAddress tokens reads both ARNs, so CloudFormation creates it after them', () => {
    const addressIds = ofType('AWS::Connect::EmailAddress').map(([logicalId]) => logicalId);
    const primary = addressIds.find((id) => id.startsWith(PRIMARY_ADDRESS_ID));
    const alias = addressIds.find((id) => id.startsWith(ALIAS_ADDRESS_ID));
    const properties: Partial<Record<keyof AliasResourceProperties, unknown>>[] = ofType(ALIAS_RESOURCE_TYPE).map(
      ([, resource]) => resource.Properties ?? {},
    );
    expect(properties).toContainEqual(
      expect.objectContaining({
        EmailAddressId: { 'Fn::GetAtt': [primary, 'EmailAddressArn'] },
        AliasEmailAddressId: { 'Fn::GetAtt': [alias, 'EmailAddressArn'] },
      }),
    );
  });

  test('the handler asset is one self-contained file that loads with no node_modules around it', () => {
    const [[, fn]] = ofType('AWS::Lambda::Function');
    const { Handler, Code } = fn.Properties as { Handler: string; Code: { S3Key: string } };
    const assets = JSON.parse(readFileSync(join(outdir, `${CONSUMER_STACK}.assets.json`), 'utf8'));
    const assetDir = join(outdir, assets.files[Code.S3Key.replace(/\.zip$/, '')].source.path);
    const [file, exportName] = Handler.split('.');

    expect(readdirSync(assetDir)).toEqual([`${file}.js`]);
    expect(nodeModulesAbove(assetDir)).toEqual([]);
    const loaded = runCommand(
      process.execPath,
      ['-e', 'process.stdout.write(typeof require(process.argv[1])[process.argv[2]])', join(assetDir, `${file}.js`), exportName],
      { cwd: assetDir, env: { PATH: process.env.PATH } },
    );
    expect(loaded.stdout).toBe('function');
  });
});

/** Folders Node.js would search for packages from `folder`: the check means nothing if one exists. */
function nodeModulesAbove(folder: string): string[] {
  const found: string[] = [];
  for (let current = folder; ; current = dirname(current)) {
    if (existsSync(join(current, 'node_modules'))) found.push(join(current, 'node_modules'));
    if (dirname(current) === current) return found;
  }
}
