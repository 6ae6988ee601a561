import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/index';

const project = join(__dirname, 'fixtures', 'no-db-push-script', 'project');
const mongo = join(__dirname, 'fixtures', 'no-db-push-script', 'mongo');

/** `file line:column messageId` for every finding, as a user sees them in `eslint .`. */
function findings(results: ESLint.LintResult[], cwd: string): string[] {
  return results
    .flatMap((result) =>
      result.messages.map((message) => `${result.filePath.slice(cwd.length + 1)} ${message.line}:${message.column} ${message.ruleId ?? 'fatal'}:${message.messageId ?? message.message}`),
    )
    .sort();
}

describe('the recommended config alone reaches every kind of deploy file', () => {
  it('ESLint 10, `eslint .` on a project: one finding per file, at the command', async () => {
    const eslint = new ESLint({ cwd: project, overrideConfigFile: true, overrideConfig: plugin.configs.recommended });
    expect(findings(await eslint.lintFiles(['.']), project)).toEqual(
      [
        'Dockerfile 3:19 deploy-safe/no-db-push-script:dbPushOnDeploy',
        // The same start command runs node through a shell without `exec`: SIGTERM never reaches it.
        'Dockerfile 3:41 deploy-safe/sigterm-must-reach-node:shellWithoutExec',
        'Procfile 1:6 deploy-safe/no-db-push-script:dbPushOnDeploy',
        'docker-compose.yml 3:21 deploy-safe/no-db-push-script:dbPushOnDeploy',
        'docker-compose.yml 3:43 deploy-safe/sigterm-must-reach-node:shellWithoutExec',
        'fly.toml 4:22 deploy-safe/no-db-push-script:dbPushOnDeploy',
        'nixpacks.toml 2:8 deploy-safe/no-db-push-script:dbPushOnDeploy',
        'package.json 5:18 deploy-safe/no-db-push-script:dbPushOnDeploy',
        'package.json 5:33 deploy-safe/no-db-push-script:dataLossFlag',
        'package.json 5:52 deploy-safe/no-db-push-script:hiddenFailure',
        'railway.json 3:22 deploy-safe/no-db-push-script:dbPushOnDeploy',
        'railway.toml 2:17 deploy-safe/no-db-push-script:dbPushOnDeploy',
        'render.yaml 3:19 deploy-safe/no-db-push-script:dbPushOnDeploy',
        'scripts/entrypoint.sh 3:1 deploy-safe/no-db-push-script:dbPushOnDeploy',
        'vercel.json 1:20 deploy-safe/no-db-push-script:dbPushOnDeploy',
      ].sort(),
    );
  });

  it('ESLint 10: a MongoDB project (schema provider read from disk) gets no finding', async () => {
    const eslint = new ESLint({ cwd: mongo, overrideConfigFile: true, overrideConfig: plugin.configs.recommended });
    expect(findings(await eslint.lintFiles(['.']), mongo)).toEqual([]);
  });

  it('ESLint 9: the same config reports in package.json and the Dockerfile', async () => {
    const { ESLint: ESLint9 } = (await import('eslint-v9')) as unknown as { ESLint: typeof ESLint };
    const eslint = new ESLint9({ cwd: project, overrideConfigFile: true, overrideConfig: plugin.configs.recommended });
    const found = findings(await eslint.lintFiles(['package.json', 'Dockerfile']), project);
    expect(found).toContain('package.json 5:18 deploy-safe/no-db-push-script:dbPushOnDeploy');
    expect(found).toContain('Dockerfile 3:19 deploy-safe/no-db-push-script:dbPushOnDeploy');
  });

  it('ESLint 8.57 with .eslintrc `extends: plugin:deploy-safe/legacy-recommended` reports in package.json', async () => {
    const { ESLint: ESLint8 } = (await import('eslint-v8')) as unknown as {
      ESLint: new (options: Record<string, unknown>) => { lintFiles(patterns: string[]): Promise<ESLint.LintResult[]> };
    };
    const eslint = new ESLint8({
      cwd: project,
      useEslintrc: false,
      plugins: { 'deploy-safe': plugin },
      overrideConfig: { root: true, extends: ['plugin:deploy-safe/legacy-recommended'] },
    });
    expect(findings(await eslint.lintFiles(['package.json', 'railway.json', 'render.yaml', 'fly.toml']), project)).toEqual([
      'fly.toml 4:22 deploy-safe/no-db-push-script:dbPushOnDeploy',
      'package.json 5:18 deploy-safe/no-db-push-script:dbPushOnDeploy',
      'package.json 5:33 deploy-safe/no-db-push-script:dataLossFlag',
      'package.json 5:52 deploy-safe/no-db-push-script:hiddenFailure',
      'railway.json 3:22 deploy-safe/no-db-push-script:dbPushOnDeploy',
      'render.yaml 3:19 deploy-safe/no-db-push-script:dbPushOnDeploy',
    ]);
  });
});
