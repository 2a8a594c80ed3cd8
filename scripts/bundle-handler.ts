/**
 * Bundles the custom-resource handler into one file, assets/handler/index.js, at build time,
 * so that users of the construct need neither esbuild nor Docker to synthesize.
 *
 * Run with `tsx scripts/bundle-handler.ts` (`npm run build` and `cdk synth` do). The
 * benchmark imports the options and plugins to measure what each optimisation gains.
 */
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { MIN_NODEJS_MAJOR } from '../lib/handler-runtime';

const root = join(__dirname, '..');
const entryPoint = join(root, 'lambda', 'index.ts');
const outfile = join(root, 'assets', 'handler', 'index.js');

// The bundle is about 200 KiB, and its size is most of the cold start. Over the limit means
// that a plugin below no longer matches the SDK's layout (without either one the bundle is
// 320 or 375 KiB) or that a second copy of the SDK crept in (e.g. its CommonJS build).
const MAX_BUNDLE_BYTES = 300 * 1024;

/**
 * The client's runtimeConfig imports `defaultProvider` from @aws-sdk/credential-provider-node:
 * the whole default chain (SSO, INI files, process, IMDS, containers, and the STS and SSO
 * clients they call), over 100 KB that every cold start parses. Lambda hands the function its
 * role's credentials in environment variables and connect-client.ts passes `fromEnv()`, so the
 * chain is a fallback never reached. It is replaced with the chain's environment step alone:
 * a client built without `credentials` still finds them where Lambda puts them. Should the
 * client ever import another name from the package, esbuild fails the build.
 */
export const envOnlyCredentialChain: Plugin = {
  name: 'env-only-credential-chain',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, ({ path }) => ({
      path,
      namespace: 'env-only-credential-chain',
    }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'env-only-credential-chain' }, () => ({
      contents: "export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env';",
      resolveDir: root,
    }));
  },
};

/**
 * The client's schema module describes every Connect operation (400 KB of source). Each
 * operation's schema keys its HTTP binding with a computed property over a string constant,
 * `{ [_h]: ["POST", "/email-addresses/…", 200] }`, and esbuild cannot prove that such a key
 * has no side effect, so it kept every operation and every shape they reference. Writing the
 * constant's value as a literal key builds the same object and lets esbuild drop what the
 * handler never sends. Only keys after `{` or `,` whose constant is a plain string literal
 * declared in the same module are rewritten.
 */
export const literalSchemaKeys: Plugin = {
  name: 'literal-schema-keys',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]@aws-sdk[\\/]client-connect[\\/]dist-es[\\/]schemas[\\/][^\\/]+\.js$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const constants = new Map(
        Array.from(source.matchAll(/^const (_\w+) = ("[^"\\]*");$/gm), ([, name, literal]) => [name, literal]),
      );
      const contents = source.replace(/([{,]\s*)\[(_\w+)\]:/g, (key, before: string, name: string) => {
        const literal = constants.get(name);
        return literal === undefined ? key : `${before}${literal}:`;
      });
      return { contents, loader: 'js' };
    });
  },
};

/** The shipped bundle's options, less the output file. */
export const HANDLER_BUNDLE_OPTIONS = {
  entryPoints: [entryPoint],
  bundle: true,
  platform: 'node',
  // The oldest runtime the construct admits: the default follows the newest that the app's
  // aws-cdk-lib defines, and a user may pin any from this one on, so the one file serves them all.
  target: `node${MIN_NODEJS_MAJOR}`,
  format: 'cjs',
  minify: true,
  // The SDK's ES module entry points let esbuild drop what the handler does not use.
  mainFields: ['module', 'main'],
  plugins: [envOnlyCredentialChain, literalSchemaKeys],
  // Nothing is external: the SDK in the Lambda runtime predates the email-alias commands.
  logLevel: 'warning',
} satisfies BuildOptions;

async function main(): Promise<void> {
  await build({ ...HANDLER_BUNDLE_OPTIONS, outfile });
  const { size } = statSync(outfile);
  const kib = (size / 1024).toFixed(0);
  if (size > MAX_BUNDLE_BYTES) {
    throw new Error(`${relative(root, outfile)} is ${kib} KiB, over the ${MAX_BUNDLE_BYTES / 1024} KiB limit.`);
  }
  console.error(`Bundled ${relative(root, outfile)}: ${kib} KiB (limit ${MAX_BUNDLE_BYTES / 1024} KiB).`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
