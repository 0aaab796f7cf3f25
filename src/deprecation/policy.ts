/** What a use of a deprecated entry point does: count only, count and warn once, or throw. */
export type Policy = 'silent' | 'warn' | 'throw';

export const POLICIES: readonly Policy[] = ['silent', 'warn', 'throw'];

export interface PolicySpec {
  /** For every code without a policy of its own. */
  global?: Policy;
  /** By deprecation code. */
  codes: Record<string, Policy>;
}

/**
 * Reads UNIFIED_WS_DEPRECATIONS: a policy for every code (`throw`), or comma-separated
 * `CODE=policy` pairs where `*` stands for every other code (`UWS004=throw,*=silent`).
 * Unreadable parts are returned as problems, never thrown: a typo in an environment variable
 * must not take a service down.
 */
export function parsePolicyEnv(value: string | undefined): {
  spec: PolicySpec;
  problems: string[];
} {
  const spec: PolicySpec = { codes: {} };
  const problems: string[] = [];
  if (value === undefined || value.trim() === '') return { spec, problems };
  for (const part of value.split(',')) {
    const token = part.trim();
    if (token === '') continue;
    const [rawKey, rawPolicy] = token.includes('=') ? token.split('=', 2) : ['*', token];
    const key = (rawKey ?? '').trim().toUpperCase();
    const policy = (rawPolicy ?? '').trim().toLowerCase() as Policy;
    if (!POLICIES.includes(policy)) {
      problems.push(`"${token}": the policy must be one of ${POLICIES.join(', ')}`);
      continue;
    }
    if (key === '*') spec.global = policy;
    else if (/^[A-Z][A-Z0-9_-]*\d+$/.test(key)) spec.codes[key] = policy;
    else problems.push(`"${token}": "${key}" is not a deprecation code or *`);
  }
  return { spec, problems };
}
