import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface LockedPackage {
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
}

/**
 * The package-lock locations (e.g. "node_modules/@aws-sdk/client-connect") of every package a
 * user of this library receives: its runtime dependencies, and the packages esbuild bundles
 * into the handler asset. The latter are devDependencies, so `npm audit --omit=dev` alone
 * would not look at them. Peer dependencies are left out: the user picks their version.
 */
export async function shippedPackageLocations(repoRoot: string, handlerEntry: string): Promise<Set<string>> {
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8'));
  const packages: Record<string, LockedPackage> = lock.packages;
  const roots = [
    ...Object.keys(packages['']?.dependencies ?? {}).map((name) => `node_modules/${name}`),
    ...(await packagesBundledFrom(repoRoot, handlerEntry)),
  ];
  return dependencyClosure(packages, roots);
}

async function packagesBundledFrom(repoRoot: string, entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: repoRoot,
    bundle: true,
    platform: 'node',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  // Metafile inputs are paths relative to absWorkingDir.
  const locations = Object.keys(result.metafile.inputs)
    .map((input) => /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1])
    .filter((location): location is string => location !== undefined);
  return [...new Set(locations)];
}

function dependencyClosure(packages: Record<string, LockedPackage>, roots: string[]): Set<string> {
  const seen = new Set<string>();
  const pending = roots.filter((location) => packages[location]);
  while (pending.length > 0) {
    const location = pending.pop()!;
    if (seen.has(location)) continue;
    seen.add(location);
    const { dependencies = {}, optionalDependencies = {} } = packages[location];
    for (const name of Object.keys({ ...dependencies, ...optionalDependencies })) {
      const resolved = resolveFrom(packages, location, name);
      if (resolved) pending.push(resolved);
    }
  }
  return seen;
}

/** Node's lookup: the nearest node_modules/<name> from the dependent's folder upwards. */
function resolveFrom(packages: Record<string, LockedPackage>, dependent: string, name: string): string | undefined {
  let folder = dependent;
  for (;;) {
    const candidate = folder ? `${folder}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!folder) return undefined;
    const parent = folder.lastIndexOf('/node_modules/');
    folder = parent < 0 ? '' : folder.slice(0, parent);
  }
}
