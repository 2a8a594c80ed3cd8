/**
 * This process's environment without what npm sets for the lifecycle script that runs the
 * tests (`npm test`): the package's name, version and folder would otherwise leak into an
 * npm command run for another project. npm's own settings (cache, certificates, user config,
 * registry) are kept, so the command installs the way `npm ci` just did.
 */
export function npmEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^npm_(package_|lifecycle_|command$|config_local_prefix$)/i.test(name) || name === 'INIT_CWD') continue;
    env[name] = value;
  }
  return env;
}
