import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmailAddressAliasProps } from '../../lib';
import { LambdaFunctionCode, installLambdaCode } from './lambda-process';
import { SelfSignedCertificate, createSelfSignedCertificate } from './self-signed-certificate';
import { SynthesizedAlias, synthesizeAlias } from './synthesized-alias';

/** What the sequences of one test file share: nothing that holds state between sequences. */
export interface IntegrationFixture {
  /** Trusted by the function, served by every response URL. */
  readonly certificate: SelfSignedCertificate;
  /** The handler as the synthesized stack's asset holds it, copied out of the repository. */
  readonly code: LambdaFunctionCode;
  /** Synthesis is deterministic, so each declaration is synthesized once per file. */
  synthesize(props: EmailAddressAliasProps): SynthesizedAlias;
}

let fixture: Promise<IntegrationFixture> | undefined;
let directory: string | undefined;

// Registered when a test file imports this module; hooks cannot be added from inside a test.
afterAll(() => {
  if (directory) rmSync(directory, { recursive: true, force: true });
});

/** Made when the file's first sequence starts, in a temporary directory removed after the file. */
export function integrationFixture(): Promise<IntegrationFixture> {
  fixture ??= (async () => {
    const root = mkdtempSync(join(tmpdir(), 'alias-integration-'));
    directory = root;
    const synthesized = new Map<string, SynthesizedAlias>();
    const synthesize = (props: EmailAddressAliasProps) => {
      const key = JSON.stringify(props);
      if (!synthesized.has(key)) synthesized.set(key, synthesizeAlias(props, mkdtempSync(join(root, 'cdk.out-'))));
      return synthesized.get(key)!;
    };
    const { handler } = synthesize({ instanceId: 'instance', emailAddressId: 'primary', aliasEmailAddressId: 'alias' });
    return {
      certificate: createSelfSignedCertificate(root),
      code: installLambdaCode(handler, root),
      synthesize,
    };
  })();
  return fixture;
}
