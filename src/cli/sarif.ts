/**
 * `deploy-safe check --format sarif`: SARIF 2.1.0, the format GitHub code scanning uploads
 * (github/codeql-action/upload-sarif). One run, one rule entry per deploy-safe rule with its docs
 * link, one result per finding at its file, line and column; files that do not parse are
 * notifications, not results, so they never show as alerts.
 */
import plugin from '../index';
import { readPackageInfo } from '../core/package-info';
import type { Log, ReportingDescriptor } from 'sarif';
import type { CheckResult } from './check';

interface RuleMeta {
  meta: { docs?: { description?: string; url?: string }; type?: string };
}

export function toSarif(result: CheckResult): Log {
  const { name, version } = readPackageInfo();
  const ruleIds = Object.keys(plugin.rules ?? {}).sort();
  const rules = ruleIds.map((id): ReportingDescriptor => {
    const { docs } = (plugin.rules as Record<string, RuleMeta>)[id].meta;
    return {
      id: `deploy-safe/${id}`,
      name: id,
      shortDescription: { text: docs?.description ?? id },
      helpUri: docs?.url,
      defaultConfiguration: { level: 'error' },
    };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name, version, informationUri: 'https://github.com/deploy-safe/eslint-plugin-deploy-safe', rules } },
        results: result.findings.map((finding) => ({
          ruleId: `deploy-safe/${finding.rule}`,
          ruleIndex: ruleIds.indexOf(finding.rule),
          level: 'error',
          message: { text: finding.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: finding.file, uriBaseId: '%SRCROOT%' },
                region: { startLine: Math.max(1, finding.line), startColumn: Math.max(1, finding.column) },
              },
            },
          ],
        })),
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: result.unparsable.map((item) => ({
              level: 'warning',
              message: { text: `${item.file}${item.line > 0 ? `:${item.line}` : ''}: ${item.message} (left unchecked)` },
            })),
          },
        ],
      },
    ],
  };
}
