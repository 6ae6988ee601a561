import * as jsoncParser from 'jsonc-eslint-parser';
import * as tomlParser from 'toml-eslint-parser';
import * as yamlParser from 'yaml-eslint-parser';
import * as shellLinesParser from '../../src/deploy-files/shell-lines';

type Parser = typeof jsoncParser | typeof yamlParser | typeof tomlParser | typeof shellLinesParser;
const PARSERS: [RegExp, Parser][] = [
  [/\.json$/, jsoncParser],
  [/\.ya?ml$/, yamlParser],
  [/\.toml$/, tomlParser],
  [/./, shellLinesParser],
];

/** A rule-tester case for a deploy file, parsed as the recommended config parses it (by file name). */
export const inDeployFile = <T extends { filename: string }>(test: T) => ({
  ...test,
  languageOptions: { parser: PARSERS.find(([pattern]) => pattern.test(test.filename))![1] as never },
});
