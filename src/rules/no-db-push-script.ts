import { createRule } from '../core/create-rule';
import { findMigrationProblems, type MigrationProblemId } from '../deploy-files/db-push-problems';
import { commandSitesOf } from '../deploy-files/deploy-file-commands';
import { onDeployFileTree } from '../deploy-files/deploy-file-tree';
import { OTHER_DEPLOY_FILE_LANGUAGES } from '../core/languages';
import { prismaSchemaFor } from '../prisma/prisma-schema';

export type MessageIds = MigrationProblemId;

/**
 * Runs on package.json and on the files a deploy runs (Dockerfile, Procfile, shell scripts, railway.json,
 * vercel.json, render.yaml, docker-compose, railway/nixpacks/fly.toml), through the parsers the
 * recommended config assigns to them. Each file is read on its own; the only thing read from disk is
 * the project's Prisma schema, for its provider (MongoDB projects are meant to use `db push`).
 */
export default createRule<[], MessageIds>({
  name: 'no-db-push-script',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow `prisma db push`, data-loss flags and hidden migration failures in what a deploy runs',
      recommended: true,
    },
    // Reads the JS-style ASTs of jsonc/yaml/toml-eslint-parser and the shell-lines parser: under ESLint's
    // JSON language (`language: 'json/json'`) ESLint 10.2+ refuses to run it instead of skipping it silently.
    languages: ['js/js', ...OTHER_DEPLOY_FILE_LANGUAGES],
    schema: [],
    messages: {
      dbPushOnDeploy:
        '`prisma db push` runs in {{where}}: it changes the production schema without migrations, on every instance that runs it, and can drop data to make the schema fit. Apply committed migrations with `prisma migrate deploy`, once per deploy in the platform\'s release step.',
      dataLossFlag:
        '`{{flag}}` lets Prisma drop columns and tables (`--force-reset`: the whole database) to make the schema fit, so one run against production loses data. Remove it and change the schema through migrations.',
      hiddenFailure:
        '`{{hider}}` hides a failure of `{{command}}`, so the app starts against a schema it does not match and fails later, request by request. Let a failed migration stop the deploy.',
      devMigrationOnDeploy:
        '`{{command}}` runs in {{where}}: it is a development command that can reset the database and generate new migrations. Run `prisma migrate deploy` on deploy.',
    },
  },
  create(context) {
    const { sourceCode, filename } = context;
    // Cheap bail-out: the files this rule reads rarely mention prisma at all.
    if (!sourceCode.text.includes('prisma')) return {};
    return onDeployFileTree(context, (program, services) => {
      const sites = commandSitesOf(filename, sourceCode.text, program, services);
      const problems = findMigrationProblems(sourceCode.text, sites);
      if (problems.length === 0) return;
      // Prisma recommends `db push` for MongoDB, which has no migrations.
      if (prismaSchemaFor(filename)?.provider === 'mongodb') return;
      for (const problem of problems) {
        context.report({
          loc: { start: sourceCode.getLocFromIndex(problem.start), end: sourceCode.getLocFromIndex(problem.end) },
          messageId: problem.messageId,
          data: problem.data,
        });
      }
    });
  },
});
