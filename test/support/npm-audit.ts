import { spawnSync } from 'node:child_process';

/** One entry of `npm audit --json` (report version 2). */
export interface AuditedVulnerability {
  readonly name: string;
  readonly severity: 'info' | 'low' | 'moderate' | 'high' | 'critical';
  /** package-lock locations of the affected copies. */
  readonly nodes: string[];
}

export type AuditResult =
  | { readonly available: true; readonly vulnerabilities: AuditedVulnerability[] }
  | { readonly available: false; readonly reason: string };

/**
 * Runs `npm audit --json` over the whole lock file. When npm gets no advisories (registry
 * unreachable, audit endpoint refused), the result says so instead of reporting a clean tree.
 */
export function runNpmAudit(repoRoot: string): AuditResult {
  const run = spawnSync('npm', ['audit', '--json'], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  let report: { vulnerabilities?: Record<string, AuditedVulnerability>; message?: string };
  try {
    report = JSON.parse(run.stdout);
  } catch {
    return { available: false, reason: withoutUrls((run.error?.message ?? run.stderr).trim()) || `npm audit exited with ${run.status}` };
  }
  if (!report.vulnerabilities) {
    return { available: false, reason: withoutUrls(report.message ?? run.stderr.trim()) || 'npm audit returned no report' };
  }
  return { available: true, vulnerabilities: Object.values(report.vulnerabilities) };
}

// The reason is printed in CI logs: it says what failed, not which server was asked.
function withoutUrls(text: string): string {
  return text.replace(/\s*\S+:\/\/\S+/g, '').trim();
}
