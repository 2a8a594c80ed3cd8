/**
 * Runs `body` with these environment variables set, then puts back what was there (unset
 * included): a test of the SDK's environment-driven configuration must not leak into the next.
 */
export async function withEnvironment<T>(variables: Readonly<Record<string, string>>, body: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  Object.assign(process.env, variables);
  try {
    return await body();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = value;
      }
    }
  }
}
