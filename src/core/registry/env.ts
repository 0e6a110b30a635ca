/**
 * A variable of an environment (`process.env`, or a stand-in): only its own, non-empty value,
 * trimmed. `process.env` inherits from Object.prototype, so `env["constructor"]` is a function:
 * an `apiKeyEnv` of `constructor` or `toString` must read as "not set", not as a key.
 */
export function envValue(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(env, name)) return undefined;
  const value = env[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
