import { createRule } from '../core/create-rule';
import { MIGHT_START_NODE, findSignalProblems, type SignalProblemId } from '../deploy-files/container-start';
import { onDeployFileTree } from '../deploy-files/deploy-file-tree';
import { OTHER_DEPLOY_FILE_LANGUAGES } from '../core/languages';

export type MessageIds = SignalProblemId;


/**
 * Runs on Dockerfiles, compose files and shell scripts through the parsers the recommended config
 * assigns to them. Read from disk: the package.json beside the file, for the command `npm start` runs
 * (what the fix writes), and for a shell script the Dockerfiles above it, to know whether a container
 * starts with it.
 */
export default createRule<[], MessageIds>({
  name: 'sigterm-must-reach-node',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Require a container to start Node as its main process (exec form, no package manager, `exec` after a shell) so that the platform\'s SIGTERM reaches its shutdown handler',
      recommended: true,
    },
    // Reads the JS-style ASTs of jsonc/yaml/toml-eslint-parser and the shell-lines parser: under ESLint's
    // JSON language (`language: 'json/json'`) ESLint 10.2+ refuses to run it instead of skipping it silently.
    languages: ['js/js', ...OTHER_DEPLOY_FILE_LANGUAGES],
    fixable: 'code',
    schema: [],
    messages: {
      packageManager:
        "{{where}} starts `{{command}}`: {{behaviour}} {{remedy}}",
      shellForm:
        "{{where}} runs `{{command}}` through `/bin/sh -c` (shell form): the shell is the container's main process and ignores SIGTERM, so Node's shutdown handler never runs and the platform kills the container at its deadline with requests in flight. {{remedy}}",
      shellWithoutExec:
        "{{where}} runs `{{command}}` as the shell's last command without `exec`: the shell stays the container's main process and ignores SIGTERM, so Node's shutdown handler never runs and the platform kills the container at its deadline with requests in flight. {{remedy}}",
    },
  },
  create(context) {
    const { sourceCode, filename } = context;
    if (!MIGHT_START_NODE.test(sourceCode.text)) return {};
    return onDeployFileTree(context, (program, services) => {
      for (const problem of findSignalProblems(filename, sourceCode.text, program, services)) {
        const { edit } = problem;
        context.report({
          loc: { start: sourceCode.getLocFromIndex(problem.start), end: sourceCode.getLocFromIndex(problem.end) },
          messageId: problem.messageId,
          data: problem.data,
          fix: edit ? (fixer) => fixer.replaceTextRange([edit.start, edit.end], edit.text) : null,
        });
      }
    });
  },
});
