import { join } from 'node:path';
import transform from '../../codemods/no-findunique-then-create';
import rule from '../../src/rules/no-findunique-then-create';
import { defineFixtureTests } from '../helpers/run-codemod';

const schemaDir = join(__dirname, '__testfixtures__', 'no-findunique-then-create');

defineFixtureTests('no-findunique-then-create', transform, { name: 'no-findunique-then-create', module: rule }, () => ({ 'schema-dir': schemaDir }));
