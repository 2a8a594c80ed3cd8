import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from 'typescript';
import { ALIAS_RESOURCE_TYPE } from '../../lib/resource-properties';
import { CDK_INIT_COMPILER_OPTIONS } from '../package/consumer-app';
import { assemblyMessages, CdkAppRun, resourcesOfType, runCdkApp, stackTemplates } from '../support/cdk-app-process';
import { countTypeScriptFences, SnippetProgram, snippetPrograms } from './readme-snippets';

// Every TypeScript snippet of the README, compiled with the settings of a `cdk init` app
// against the package as it is built (its `exports` map and declarations in dist/), then run
// as a CDK app with the feature flags of this repository's cdk.json (those `cdk init` writes).
const projectRoot = join(__dirname, '..', '..');
const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
const programs = snippetPrograms(readme);
const cdkJsonContext: Record<string, unknown> = JSON.parse(readFileSync(join(projectRoot, 'cdk.json'), 'utf8')).context;

let work: string;
let diagnostics: Map<string, string>;
let runs: Map<string, CdkAppRun>;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'readme-snippets-'));
  linkPackages(work);
  const sources = join(work, 'src');
  mkdirSync(sources);
  for (const program of programs) writeFileSync(join(sources, program.fileName), program.source);

  diagnostics = compile(programs.map((program) => join(sources, program.fileName)), join(work, 'build'));
  const entries = await Promise.all(
    programs.map(async (program) => {
      const entryPoint = join(work, 'build', program.fileName.replace(/\.ts$/, '.js'));
      const outdir = join(work, 'cdk.out', program.fileName);
      return [program.fileName, await runCdkApp(entryPoint, { cwd: work, outdir, context: cdkJsonContext })] as const;
    }),
  );
  runs = new Map(entries);
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('every ```ts block of the README is part of a program', () => {
  expect(programs.length).toBeGreaterThan(0);
  const blocks = programs.reduce((sum, program) => sum + (program.source.match(/^\/\/ README\.md line \d+$/gm)?.length ?? 0), 0);
  expect(blocks).toBe(countTypeScriptFences(readme));
});

describe.each(programs.map((program) => [program.name, program] as const))('the snippet at %s', (_, program: SnippetProgram) => {
  test('compiles against the package', () => {
    expect(diagnostics.get(program.fileName) ?? '').toBe('');
  });

  test('synthesizes as a CDK app, with one alias custom resource for each EmailAddressAlias it declares', () => {
    const run = runs.get(program.fileName)!;
    if (run.status !== 0) throw new Error(`The program exited with ${run.status}:\n${run.stderr}\n--- program ---\n${program.source}`);
    const declared = program.source.match(/\bnew EmailAddressAlias\(/g)?.length ?? 0;
    // A snippet that declares no alias (an import line) makes no app, hence no assembly.
    const templates = declared === 0 ? [] : Object.values(stackTemplates(run.outdir));
    const aliases = templates.flatMap((template) => resourcesOfType(template, ALIAS_RESOURCE_TYPE));
    expect(aliases).toHaveLength(declared);
  });

  test('synthesizes without a warning: pasted into an app, it adds none to what `cdk synth` prints', () => {
    const run = runs.get(program.fileName)!;
    const declared = /\bnew EmailAddressAlias\(/.test(program.source);
    expect(run.status === 0 && declared ? assemblyMessages(run.outdir) : []).toEqual([]);
  });
});

/**
 * Makes the package and its peers resolvable from `folder` as they are in a user's app: the
 * package by its name (so through its `exports` map), the others as this repository has them.
 */
function linkPackages(folder: string): void {
  const nodeModules = join(folder, 'node_modules');
  mkdirSync(nodeModules);
  symlinkSync(projectRoot, join(nodeModules, 'cdk-connect-email-address-alias'), 'junction');
  for (const name of ['aws-cdk-lib', 'constructs', '@types']) {
    symlinkSync(join(projectRoot, 'node_modules', name), join(nodeModules, name), 'junction');
  }
}

/** Compiles the files in one program (the declarations are read once) and returns each file's errors. */
function compile(files: string[], outDir: string): Map<string, string> {
  const { options, errors } = ts.convertCompilerOptionsFromJson({ ...CDK_INIT_COMPILER_OPTIONS, outDir }, projectRoot);
  if (errors.length > 0) throw new Error(ts.formatDiagnostics(errors, formatHost));
  const program = ts.createProgram(files, options);
  const emitted = program.emit();
  const byFile = new Map<string, string>();
  for (const diagnostic of [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics]) {
    const fileName = diagnostic.file ? diagnostic.file.fileName.split('/').pop()! : '(options)';
    byFile.set(fileName, (byFile.get(fileName) ?? '') + ts.formatDiagnostic(diagnostic, formatHost));
  }
  return byFile;
}

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (fileName) => fileName,
  getCurrentDirectory: () => projectRoot,
  getNewLine: () => '\n',
};
