/**
 * The handler bundled with the optimisations added one at a time, from the same options as
 * the shipped bundle, so that the benchmark shows what each one gains. The shipped bundle
 * itself (all of them) is measured from assets/handler, as `npm run build` wrote it.
 */
import { join } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { envOnlyCredentialChain, HANDLER_BUNDLE_OPTIONS } from '../scripts/bundle-handler';

export interface BundleVariant {
  readonly name: string;
  readonly directory: string;
}

const STEPS: ReadonlyArray<{ readonly name: string; readonly options: BuildOptions }> = [
  { name: 'plain esbuild bundle (CommonJS entry points)', options: { mainFields: ['main', 'module'], plugins: [] } },
  { name: '+ ES module entry points', options: { plugins: [] } },
  { name: '+ env-only credential chain', options: { plugins: [envOnlyCredentialChain] } },
];

/** The shipped bundle's name in the same sequence. */
export const SHIPPED_BUNDLE = '+ literal schema keys = shipped bundle';

export async function buildBundleVariants(parent: string): Promise<BundleVariant[]> {
  return Promise.all(
    STEPS.map(async ({ name, options }, index) => {
      const directory = join(parent, `bundle-variant-${index}`);
      await build({ ...HANDLER_BUNDLE_OPTIONS, ...options, outfile: join(directory, 'index.js'), logLevel: 'error' });
      return { name, directory };
    }),
  );
}
