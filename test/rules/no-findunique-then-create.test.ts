import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuleTester } from '@typescript-eslint/rule-tester';
import { afterAll, describe, expect, it } from 'vitest';
import { prismaSchemaFor } from '../../src/prisma/prisma-schema';
import rule from '../../src/rules/no-findunique-then-create';
import { lintWithRule } from '../helpers/run-codemod';

const ruleTester = new RuleTester();

/** Unique: User.email, Tag.name, Achievement @@unique([name]), Membership @@unique([userId, teamId]), JobResult.jobId. None: Approval, Post. */
const prismaSchema = join(__dirname, 'fixtures', 'no-findunique-then-create', 'schema.prisma');
const withSchema = [{ prismaSchema }] as const;
/** A message's data: RuleTester fills placeholders only when every one is given. */
const full = (data: Record<string, string>) => ({ model: 'user', read: 'findUnique', line: '2', key: '`email`', fields: '`email`', rejection: '', constraint: '', why: 'no Prisma schema with this model was found', ...data });

ruleTester.run('no-findunique-then-create', rule, {
  valid: [
    // documenso create-email-domain.ts: the SES call between the check and the create refuses a duplicate
    // itself and its failure becomes the check's own refusal, so the race loser never reaches the create.
    {
      code: `async function createEmailDomain(domain: string) {
  const existing = await prisma.user.findUnique({ where: { email: domain } });
  if (existing) throw new AppError(AppErrorCode.ALREADY_EXISTS, { message: 'in the database' });
  await verifyDomainWithSes(domain).catch((error) => {
    if (error.name === 'AlreadyExistsException') throw new AppError(AppErrorCode.ALREADY_EXISTS, { message: 'in SES' });
    throw error;
  });
  return prisma.user.create({ data: { email: domain } });
}`,
      options: withSchema,
    },
    // Tests and end-to-end setups are not a deployed service: skipped by default.
    { code: `const existingAdmin = await prisma.user.findUnique({ where: { email: adminEmail } });
if (!existingAdmin) await prisma.user.create({ data: { email: adminEmail, role: 'admin' } });`, filename: 'test/setup.ts' },
    { code: `const existingAdmin = await prisma.user.findUnique({ where: { email: adminEmail } });
if (!existingAdmin) await prisma.user.create({ data: { email: adminEmail, role: 'admin' } });`, filename: 'src/users/users.service.spec.ts' },
    { code: `const existingAdmin = await prisma.user.findUnique({ where: { email: adminEmail } });
if (!existingAdmin) await prisma.user.create({ data: { email: adminEmail, role: 'admin' } });`, filename: 'e2e/global-setup.ts' },
    // The codemod's rewrite of a create followed by what only its creator does: P2002 caught, the steps behind a flag.
    `async function signUp(email: string) {
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing) return existing;
  let created = true;
  const user = await prisma.user.create({ data: { email } }).catch(async (error: { code?: string }) => {
    if (error?.code !== 'P2002') throw error;
    created = false;
    return prisma.user.findUniqueOrThrow({ where: { email } });
  });
  if (created) await sendWelcomeEmail(user);
  return user;
}`,
    // The codemod's rewrite of update-or-create where no native upsert runs: P2002 on the create runs the same update.
    `async function rate(userId: number, storeId: number, rating: number) {
  const existing = await prisma.rating.findUnique({ where: { userId_storeId: { userId, storeId } } });
  if (existing) return prisma.rating.update({ where: { userId_storeId: { userId, storeId } }, data: { rating } });
  return prisma.rating.create({ data: { userId, storeId, rating } }).catch(async (error: { code?: string }) => {
    if (error?.code !== 'P2002') throw error;
    return prisma.rating.update({ where: { userId_storeId: { userId, storeId } }, data: { rating } });
  });
}`,
    // A read on one model and a write on another.
    `async function f(email: string) {
  const user = await prisma.user.findUnique({ where: { email } });
  if (!user) await prisma.auditLog.create({ data: { event: 'missing-user', email } });
}`,
    // Check-then-reject, with the check turned off.
    {
      code: `async function signUp(email: string) {
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing) throw new ConflictException('Email already registered');
  return prisma.user.create({ data: { email } });
}`,
      options: [{ checkThenReject: false }],
    },
    // upsert with a real update.
    "await prisma.user.upsert({ where: { email }, update: { lastSeenAt: new Date() }, create: { email } });",
    // create in a try/catch that handles P2002.
    `async function ensure(email: string) {
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing) return existing;
  try {
    return await prisma.user.create({ data: { email } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return prisma.user.findUniqueOrThrow({ where: { email } });
    throw error;
  }
}`,
    `async function ensure(email: string) {
  const existing = await prisma.user.findUnique({ where: { email } });
  return existing ?? prisma.user.create({ data: { email } }).catch((error) => { if (error.code === 'P2002') return prisma.user.findUniqueOrThrow({ where: { email } }); throw error; });
}`,
    // An empty-update upsert whose P2002 is handled.
    `try {
  await prisma.user.upsert({ where: { email }, update: {}, create: { email } });
} catch (error) {
  if (error.code !== 'P2002') throw error;
}`,
    // createMany with skipDuplicates.
    `async function ensure(email: string) {
  const existing = await prisma.user.findUnique({ where: { email } });
  if (!existing) await prisma.user.createMany({ data: [{ email }], skipDuplicates: true });
}`,
    // Serializable isolation: one of two racing transactions is aborted instead (and retried).
    `await prisma.$transaction(async (tx) => {
  const existing = await tx.user.findUnique({ where: { email } });
  if (!existing) await tx.user.create({ data: { email } });
}, { isolationLevel: Prisma.TransactionIsolationLevel.Serializable });`,
    // A create that does not depend on the read.
    `async function f(email: string) {
  const user = await prisma.user.findUnique({ where: { email } });
  await prisma.user.create({ data: { email: 'other@example.com' } });
  return user;
}`,
    // A create that runs when the read found a row: a new row, not the one read.
    `async function rotate(token: string) {
  const found = await prisma.session.findUnique({ where: { token } });
  if (found) await prisma.session.create({ data: { token: newToken(), userId: found.userId } });
}`,
    // The create makes another row than the one read (an API token after an e-mail token was checked).
    `async function authenticate(emailToken: string, email: string) {
  const fetched = await prisma.token.findUnique({ where: { emailToken }, include: { user: true } });
  if (fetched?.user?.email === email) {
    return prisma.token.create({ data: { type: 'API', expiration: later() } });
  }
}`,
    // The create runs only when the read found the row (a template instantiated into a new program).
    `router.post('/:id/instantiate', async (req, res) => {
  const template = await prisma.auditProgram.findUnique({ where: { id: req.params.id }, include: { checklists: true } });
  if (!template || template.tenantId !== tenantId) return res.status(404).json({ message: 'not found' });
  const result = await prisma.$transaction(async (tx) => {
    return tx.auditProgram.create({ data: programData });
  });
  res.status(201).json(result);
});`,
    // An API token created after an e-mail token was checked: \`user: { connect }\` does not set \`emailToken\`.
    `async function authenticate(emailToken: string, email: string) {
  const fetched = await prisma.token.findUnique({ where: { emailToken }, include: { user: true } });
  if (fetched?.user?.email === email) {
    return prisma.token.create({ data: { type: 'API', expiration: later(), user: { connect: { email } } } });
  }
}`,
    // Reads and creates in different functions.
    `const find = (email) => prisma.user.findUnique({ where: { email } });
const make = (email) => prisma.user.create({ data: { email } });`,
    // Not Prisma: no model between the client and the method.
    "const row = await repo.findFirst({ email }); if (!row) await repo.create({ email });",
    // Issue 24: an upsert keyed on an id generated in the same call and created in the same transaction.
    `await prisma.$transaction(async (tx) => {
  const id = randomUUID();
  await tx.order.create({ data: { id } });
  await tx.orderStats.upsert({ where: { orderId: id }, update: {}, create: { orderId: id } });
});`,
    `await prisma.$transaction(async (tx) => {
  const order = await tx.order.create({ data: { id: makeId() } });
  await tx.orderStats.upsert({ where: { orderId: order.id }, update: {}, create: { orderId: order.id } });
});`,
    // Issue 24: a deliberate Promise.allSettled whose rejections (P2002 included) are discarded.
    `await Promise.allSettled(tags.map((name) => prisma.tag.upsert({ where: { name }, update: {}, create: { name } })));`,
    // Issue 24: the job row is claimed atomically before the create; only the claim's winner reaches it.
    `async function run(jobId: string) {
  const { count } = await prisma.job.updateMany({ where: { id: jobId, status: 'PENDING' }, data: { status: 'RUNNING' } });
  if (count === 0) return;
  const existing = await prisma.jobResult.findUnique({ where: { jobId } });
  if (!existing) await prisma.jobResult.create({ data: { jobId } });
}`,
    `async function run(jobId: string) {
  await prisma.job.update({ where: { id: jobId, status: JobStatus.PENDING }, data: { status: JobStatus.RUNNING } });
  const existing = await prisma.jobResult.findUnique({ where: { jobId } });
  if (!existing) await prisma.jobResult.create({ data: { jobId } });
}`,
    // A nested upsert with a real update.
    "await prisma.user.update({ where: { id }, data: { profile: { upsert: { create: { bio }, update: { bio } } } } });",
  ],
  invalid: [
    {
      // A second check on the way is a read, not a claim: both requests still pass it.
      code: `async function createEmailDomain(domain: string) {
  const existing = await prisma.user.findUnique({ where: { email: domain } });
  if (existing) throw new AppError(AppErrorCode.ALREADY_EXISTS, { message: 'in the database' });
  if (await sesHasDomain(domain)) throw new AppError(AppErrorCode.ALREADY_EXISTS, { message: 'in SES' });
  await verifyDomainWithSes(domain).catch((error) => {
    throw new AppError(AppErrorCode.UNKNOWN_ERROR, { message: String(error) });
  });
  return prisma.user.create({ data: { email: domain } });
}`,
      options: withSchema,
      errors: [{ messageId: 'checkThenReject', line: 8 }],
    },
    {
      // ignoreFiles: [] checks tests too.
      code: `const existingAdmin = await prisma.user.findUnique({ where: { email: adminEmail } });
if (!existingAdmin) await prisma.user.create({ data: { email: adminEmail, role: 'admin' } });`,
      filename: 'test/setup.ts',
      options: [{ ignoreFiles: [], prismaSchema }],
      errors: [{ messageId: 'readThenCreate', line: 2 }],
    },
    {
      // The admin seed of a real incident; the message names the unique key from the schema.
      code: `const existingAdmin = await prisma.user.findUnique({
  where: { email: adminEmail },
});

if (existingAdmin) {
  console.log('Admin already exists');
} else {
  const admin = await prisma.user.create({ data: { email: adminEmail, role: 'admin' } });
}`,
      options: withSchema,
      errors: [{ messageId: 'readThenCreate', data: full({ model: 'user', read: 'findUnique', line: '1', key: '`email`' }), line: 8, column: 35 }],
    },
    {
      // findFirst on a unique field: P2002.
      code: "async function f() {\n  const x = await this.prisma.user.findFirst({ where: { email } });\n  if (x === null) {\n    await this.prisma.user.create({ data: { email } });\n  }\n}",
      options: withSchema,
      errors: [{ messageId: 'readThenCreate', data: full({ model: 'user', read: 'findFirst', line: '2', key: '`email`' }), line: 4 }],
    },
    {
      // findFirst on fields no unique constraint covers: duplicate rows, and what to add.
      code: "async function f(title: string) {\n  const post = await prisma.post.findFirst({ where: { title } });\n  if (!post) await prisma.post.create({ data: { title } });\n}",
      options: withSchema,
      errors: [{ messageId: 'readThenCreateDuplicates', data: full({ model: 'post', read: 'findFirst', line: '2', fields: '`title`', constraint: '`@unique` on title' }) }],
    },
    {
      // No schema found: the message says what depends on it.
      code: "async function f(title: string) {\n  const post = await prisma.post.findFirst({ where: { title } });\n  if (!post) await prisma.post.create({ data: { title } });\n}",
      errors: [{ messageId: 'readThenCreateUnverified', data: full({ model: 'post', read: 'findFirst', line: '2', fields: '`title`' }) }],
    },
    {
      // findUnique is unique by Prisma's types even where no schema was found.
      code: "async function f() {\n  const x = await db.user.findUnique({ where: { email } });\n  if (x) return x;\n  return db.user.create({ data: { email } });\n}",
      errors: [{ messageId: 'readThenCreate', data: full({ key: '`email`' }), line: 4 }],
    },
    {
      code: "async function f() {\n  const x = await prisma.user.findUnique({ where: { email } });\n  if (x) await prisma.user.update({ where: { email }, data: { name } });\n  else await prisma.user.create({ data: { email, name } });\n}",
      options: withSchema,
      errors: [{ messageId: 'readThenCreate', line: 4 }],
    },
    {
      code: "const x = await prisma.tag.findUnique({ where: { name } });\nconst tag = x ?? (await prisma.tag.create({ data: { name } }));",
      options: withSchema,
      errors: [{ messageId: 'readThenCreate', line: 2 }],
    },
    {
      code: "const x = await prisma.tag.findUnique({ where: { name } });\nconst tag = x || await prisma.tag.create({ data: { name } });",
      options: withSchema,
      errors: [{ messageId: 'readThenCreate' }],
    },
    {
      code: "const x = await prisma.tag.findUnique({ where: { name } });\nconst tag = x ? x : await prisma.tag.create({ data: { name } });",
      options: withSchema,
      errors: [{ messageId: 'readThenCreate' }],
    },
    {
      // In a loop (seed scripts), on a transaction client at the default isolation level; @@unique([name]).
      code: `await prisma.$transaction(async (tx) => {
  for (const name of ['first-login', 'first-post']) {
    const found = await tx.achievement.findFirst({ where: { name } });
    if (!found) await tx.achievement.create({ data: { name, description: name } });
  }
});`,
      options: withSchema,
      errors: [{ messageId: 'readThenCreate', data: full({ model: 'achievement', read: 'findFirst', line: '3', key: '`name`' }), line: 4 }],
    },
    {
      // A compound key, found by its fields: named as the schema names them.
      code: "async function join(userId: number, teamId: number) {\n  const member = await prisma.membership.findFirst({ where: { teamId, userId } });\n  if (!member) await prisma.membership.create({ data: { userId, teamId } });\n}",
      options: withSchema,
      errors: [{ messageId: 'readThenCreate', data: full({ model: 'membership', read: 'findFirst', key: '`userId, teamId`' }) }],
    },
    {
      code: "async function f() {\n  let user;\n  try {\n    user = await prisma.user.findUniqueOrThrow({ where: { email } });\n  } catch {\n    user = await prisma.user.create({ data: { email } });\n  }\n}",
      options: withSchema,
      errors: [{ messageId: 'readThenCreate', data: full({ model: 'user', read: 'findUniqueOrThrow', line: '4' }) }],
    },
    {
      // Two reads of the same model: the message cites the one that guards the create (line 3), not the nearer one.
      code: `async function accept(email: string, inviterId: number) {
  const existing = await prisma.user.findUnique({ where: { email } });
  const inviter = await prisma.user.findUnique({ where: { id: inviterId } });
  if (!inviter) throw new NotFoundException();
  if (existing) return existing;
  return prisma.user.create({ data: { email, invitedById: inviter.id } });
}`,
      options: withSchema,
      errors: [{ messageId: 'readThenCreate', data: full({ line: '2' }), line: 6 }],
    },
    {
      // An alias of the read's result decides the create.
      code: `await prisma.$transaction(async (tx) => {
  const existing = await tx.user.findUnique({ where: { email } });
  let user = existing;
  if (!user) user = await tx.user.create({ data: { email } });
  return user;
});`,
      options: withSchema,
      errors: [{ messageId: 'readThenCreate', data: full({ line: '2' }), line: 4 }],
    },
    {
      // Issue 24: read through \`prisma\`, create through the transaction's \`tx\` (an OAuth callback).
      code: `async function callback(email: string, providerId: string) {
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing) return existing;
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.create({ data: { email } });
    await tx.account.create({ data: { providerId, userId: user.id } });
    return user;
  });
}`,
      options: withSchema,
      errors: [{ messageId: 'readThenCreate', data: full({ line: '2' }), line: 5 }],
    },
    {
      // Check-then-reject, NestJS: the loser gets an unhandled P2002 instead of the ConflictException.
      code: `async function signUp(email: string) {
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing) throw new ConflictException('Email already registered');
  return prisma.user.create({ data: { email } });
}`,
      options: withSchema,
      errors: [{ messageId: 'checkThenReject', data: full({ model: 'user', read: 'findUnique', line: '2', key: '`email`', rejection: "throws `new ConflictException('Email already registered')`" }), line: 4 }],
    },
    {
      // Check-then-reject, Express: `return res.status(409)…`.
      code: `router.post('/register', async (req, res) => {
  const existing = await prisma.user.findUnique({ where: { email: req.body.email } });
  if (existing) return res.status(409).json({ message: 'taken' });
  const user = await prisma.user.create({ data: { email: req.body.email } });
  res.status(201).json(user);
});`,
      options: withSchema,
      errors: [{ messageId: 'checkThenReject', data: full({ rejection: 'answers 409' }), line: 4 }],
    },
    {
      // A real case (an approvals route): the check reads fields no unique constraint covers, so nothing
      // fails: the race inserts a second pending approval. The advice fits a status filter.
      code: `router.post('/', async (req, res) => {
  const existing = await prisma.approval.findFirst({
    where: { tenantId, entityType: body.entityType, entityId: body.entityId, status: 'PENDING' },
  });
  if (existing) {
    res.status(400).json({ message: 'pending approval exists' });
    return;
  }
  const approval = await prisma.approval.create({ data: { tenantId, entityType: body.entityType, entityId: body.entityId, status: 'PENDING' } });
  res.status(201).json(approval);
});`,
      options: withSchema,
      errors: [{
        messageId: 'checkThenRejectDuplicates',
        data: full({
          model: 'approval',
          read: 'findFirst',
          line: '2',
          fields: '`tenantId, entityType, entityId, status`',
          rejection: 'answers 400',
          constraint: 'a unique index on tenantId, entityType, entityId limited to the rows the check reads (`WHERE "status" = …`, a partial index written in the migration\'s SQL)',
        }),
        line: 9,
      }],
    },
    {
      // A status filter with \`in\`: the partial index covers those statuses.
      code: `async function start(ctx: Context) {
  const existing = await prisma.approval.findFirst({ where: { tenantId: ctx.tenantId, entityId: ctx.entityId, status: { in: ['DRAFT', 'PENDING'] } } });
  if (existing) throw new Error('a workflow is already running');
  return prisma.approval.create({ data: { tenantId: ctx.tenantId, entityId: ctx.entityId, status: 'DRAFT' } });
}`,
      options: withSchema,
      errors: [{
        messageId: 'checkThenRejectDuplicates',
        data: full({
          model: 'approval',
          read: 'findFirst',
          fields: '`tenantId, entityId, status`',
          rejection: "throws `new Error('a workflow is already running')`",
          constraint: 'a unique index on tenantId, entityId limited to the rows the check reads (`WHERE "status" IN (…)`, a partial index written in the migration\'s SQL)',
        }),
        line: 4,
      }],
    },
    {
      // A foreign key set through its relation's connect: the same row, so the race is real.
      code: `async function join(teamId: number, userId: number) {
  const member = await prisma.membership.findFirst({ where: { userId, teamId } });
  if (!member) await prisma.membership.create({ data: { team: { connect: { id: teamId } }, user: { connect: { id: userId } } } });
}`,
      options: withSchema,
      errors: [{ messageId: 'readThenCreate', data: full({ model: 'membership', read: 'findFirst', key: '`userId, teamId`' }), line: 3 }],
    },
    {
      code: "await prisma.user.upsert({ where: { email }, update: {}, create: { email } });",
      errors: [{ messageId: 'emptyUpdateUpsert', line: 1, column: 46 }],
    },
    {
      // dub: MySQL with relationMode = "prisma", where no upsert is one statement: a real update would not help.
      code: "await prisma.user.upsert({ where: { email }, update: {}, create: { email } });",
      options: [{ prismaSchema: join(__dirname, 'fixtures', 'no-findunique-then-create', 'mysql', 'schema.prisma') }],
      errors: [{ messageId: 'upsertNotNative', data: { database: 'mysql with `relationMode = "prisma"`' }, line: 1, column: 46 }],
    },
    {
      // An allSettled whose results are read is not a discard.
      code: "const results = await Promise.allSettled(tags.map((name) => prisma.tag.upsert({ where: { name }, update: {}, create: { name } })));\nreport(results);",
      errors: [{ messageId: 'emptyUpdateUpsert' }],
    },
    {
      // Issue 24: a nested relation upsert with `update: {}` inside an update.
      code: "await prisma.user.update({ where: { id }, data: { profile: { upsert: { create: { bio }, update: {} } } } });",
      errors: [{ messageId: 'emptyUpdateNestedUpsert', data: { method: 'update' }, line: 1 }],
    },
  ],
});

describe('what a user reads', () => {
  it('the approvals route: duplicate rows and the index to add, not a P2002 that never comes', () => {
    const code = `const existing = await prisma.approval.findFirst({ where: { tenantId, entityId, status: 'PENDING' } });
if (!existing) await prisma.approval.create({ data: { tenantId, entityId, status: 'PENDING' } });`;
    const [message] = lintWithRule('no-findunique-then-create', rule, code, 'src/approvals.ts', [{ prismaSchema }]);
    expect(message.message).toBe(
      '`approval.create()` runs when `approval.findFirst()` on line 1 found nothing, and no unique constraint covers `tenantId, entityId, status`: two requests or instances can both see "missing" and both insert, so the table gets duplicate rows. Add a unique index on tenantId, entityId limited to the rows the check reads (`WHERE "status" = …`, a partial index written in the migration\'s SQL) and a migration, then catch P2002 on the create.',
    );
  });

  it('a unique key: P2002, with the key the schema declares', () => {
    const code = `const found = await prisma.achievement.findFirst({ where: { name } });
if (!found) await prisma.achievement.create({ data: { name, description: name } });`;
    const [message] = lintWithRule('no-findunique-then-create', rule, code, 'src/seed.ts', [{ prismaSchema }]);
    expect(message.message).toContain('the unique constraint on `name` makes one of them fail with P2002');
  });
});

describe('the schema the rule reads', () => {
  it('is found from the file\'s package.json, and read again once the schema file changes', () => {
    const project = mkdtempSync(join(tmpdir(), 'deploy-safe-schema-'));
    try {
      writeFileSync(join(project, 'package.json'), '{}');
      const schema = join(project, 'schema.prisma');
      writeFileSync(schema, 'model Post {\n  id    Int    @id\n  title String\n}\n');
      const file = join(project, 'src', 'posts.ts');
      expect(prismaSchemaFor(file)?.uniqueKeys.get('post')).toEqual([['id']]);
      writeFileSync(schema, 'model Post {\n  id    Int    @id\n  title String @unique\n}\n');
      utimesSync(schema, new Date(), new Date(Date.now() + 5000));
      expect(prismaSchemaFor(file)?.uniqueKeys.get('post')).toEqual([['id'], ['title']]);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});

// Issue 24, re-checked on dub, documenso, formbricks, rallly, inbox-zero and hoppscotch: each shape reduced from a finding.
describe('shapes from six public monorepos', () => {
  const project = mkdtempSync(join(tmpdir(), 'deploy-safe-mono-'));
  const schema = join(project, 'schema.prisma');
  writeFileSync(schema, `datasource db {
  provider = "postgresql"
}
model PartnerGroup {
  id        String @id
  programId String
  slug      String
  @@unique([programId, slug])
}
model Domain {
  id   String @id
  slug String @unique
}
model ChatMessage {
  id   String @id
  role String
}
model ThreadTracker {
  id             String @id
  emailAccountId String
  threadId       String
  messageId      String
  @@unique([emailAccountId, threadId, messageId])
}
model ClassificationFeedback {
  id      String @id
  sender  String
  ruleId  String
  @@unique([sender, ruleId])
}
model Customer {
  id   String @id
  name String
}
model Membership {
  userId         String
  organizationId String
  role           String
  @@id([userId, organizationId])
}
model TeamEmail {
  id     String @id
  teamId String @unique
  email  String @unique
}
model Segment {
  id          String @id
  workspaceId String
  title       String
  isPrivate   Boolean
  @@unique([workspaceId, title])
}
model Contact {
  id          String @id @default(cuid())
  workspaceId String
}
model Invite {
  id             String @id
  email          String
  organizationId String
}
`);
  afterAll(() => rmSync(project, { recursive: true, force: true }));
  const options = [{ prismaSchema: schema }];
  const lint = (code: string, filename = join(project, 'src', 'x.ts'), ruleOptions: unknown[] = options) =>
    lintWithRule('no-findunique-then-create', rule, code, filename, ruleOptions).filter((message) => !message.fatal);

  it('dub create-program: an upsert on a compound key one of whose parts this call generated, inside its transaction', () => {
    expect(lint(`export async function createProgram() {
  const programId = createId({ prefix: 'prog_' });
  return prisma.$transaction(async (tx) => {
    await tx.program.create({ data: { id: programId } });
    await tx.partnerGroup.upsert({ where: { programId_slug: { programId, slug: DEFAULT_GROUP.slug } }, create: { id: createId(), programId, slug: DEFAULT_GROUP.slug }, update: {} });
  });
}`)).toEqual([]);
  });

  it('dub finalize-premium-domain-registration: a create inside a discarded Promise.allSettled', () => {
    expect(lint(`export async function finalize(domain: string) {
  const existing = await prisma.domain.findUnique({ where: { slug: domain } });
  if (existing) return 'skipping';
  await Promise.allSettled([prisma.domain.create({ data: { slug: domain } }), createLink({ domain })]);
}`)).toEqual([]);
  });

  it('inbox-zero bot: a create in a try whose catch skips a duplicate through a project helper', () => {
    expect(lint(`export async function save(id: string) {
  const existing = await prisma.chatMessage.findUnique({ where: { id } });
  if (existing) return true;
  try {
    await prisma.chatMessage.create({ data: { id, role: 'assistant' } });
  } catch (error) {
    if (isDuplicateError(error, 'id')) return true;
    throw error;
  }
}`)).toEqual([]);
  });

  it('inbox-zero follow-up: a create whose catch falls back to an update on isDuplicateError', () => {
    expect(lint(`export async function track(emailAccountId: string, threadId: string, messageId: string) {
  const where = { emailAccountId_threadId_messageId: { emailAccountId, threadId, messageId } };
  const found = await prisma.threadTracker.findUnique({ where });
  if (found) return found;
  try {
    return await prisma.threadTracker.create({ data: { emailAccountId, threadId, messageId } });
  } catch (error) {
    if (isUniqueConstraintError(error)) return prisma.threadTracker.update({ where, data: { resolved: false } });
    throw error;
  }
}`)).toEqual([]);
  });

  it('inbox-zero classification-feedback: an empty-update upsert in a try that discards isDuplicateError', () => {
    expect(lint(`export async function save(sender: string, ruleId: string) {
  try {
    await prisma.classificationFeedback.upsert({ where: { sender_ruleId: { sender, ruleId } }, create: { sender, ruleId }, update: {} });
  } catch (error) {
    if (!isDuplicateError(error, ['sender', 'ruleId'])) throw error;
  }
}`)).toEqual([]);
  });

  it('formbricks membership: a catch that only wraps PrismaClientKnownRequestError still loses the race', () => {
    expect(lint(`export async function createMembership(userId: string, organizationId: string) {
  try {
    const existing = await prisma.membership.findUnique({ where: { userId_organizationId: { userId, organizationId } } });
    if (existing) return existing;
    return await prisma.membership.create({ data: { userId, organizationId, role: 'member' } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError) throw new DatabaseError(error.message);
    throw error;
  }
}`).map((message) => message.messageId)).toEqual(['readThenCreate']);
  });

  it('dub backfill script: a findUniqueOrThrow never decides a create outside its catch', () => {
    expect(lint(`async function main() {
  const customer = await prisma.customer.findUniqueOrThrow({ where: { id: 'cus_xxx' } });
  if (!customer.name) throw new Error('no name');
  await prisma.$transaction(async (tx) => {
    await tx.customer.update({ where: { id: customer.id }, data: { name: 'old' } });
    return tx.customer.create({ data: { ...customer, id: duplicateId } });
  });
}`)).toEqual([]);
  });

  it('documenso team email: a read by `OR` of two unique fields names both keys', () => {
    const [message] = lint(`export async function complete(teamId: string, email: string) {
  const existing = await prisma.teamEmail.findFirst({ where: { OR: [{ email }, { teamId }] } });
  if (existing) throw new AppError(AppErrorCode.ALREADY_EXISTS);
  await prisma.teamEmail.create({ data: { teamId, email } });
}`);
    expect(message.messageId).toBe('checkThenReject');
    expect(message.message).toContain('the unique constraint on `email` or `teamId` fails the loser\'s create with P2002');
  });

  it('formbricks segments: a unique key the create completes is neither promised P2002 nor said to be missing', () => {
    const [message] = lint(`export async function reset(surveyId: string, workspaceId: string) {
  const segment = await prisma.segment.findFirst({ where: { title: surveyId, isPrivate: true } });
  if (segment) return segment;
  return prisma.segment.create({ data: { title: surveyId, isPrivate: true, workspaceId } });
}`);
    expect(message.messageId).toBe('readThenCreateUnverified');
    expect(message.message).toContain('the one on `workspaceId, title` also holds `workspaceId`, which the create sets and the read does not pin');
    expect(message.message).not.toContain('no Prisma schema');
  });

  it('formbricks contacts: a relation filter on a model whose only key is its generated id: duplicate rows', () => {
    const [message] = lint(`export async function createContact(workspaceId: string, email: string) {
  const existing = await prisma.contact.findFirst({ where: { workspaceId, attributes: { some: { attributeKey: { key: 'email' }, value: email } } } });
  if (existing) return err({ type: 'conflict' });
  return prisma.contact.create({ data: { workspaceId, attributes: { createMany: { data: [] } } } });
}`);
    expect(message.messageId).toBe('readThenCreateDuplicates');
    expect(message.message).not.toContain('P2002 if');
  });

  it('a monorepo app whose schema is in the workspace package it depends on', () => {
    const root = join(project, 'mono');
    mkdirSync(join(root, 'apps', 'web', 'lib'), { recursive: true });
    mkdirSync(join(root, 'packages', 'database', 'schema'), { recursive: true });
    writeFileSync(join(root, 'pnpm-workspace.yaml'), 'packages:\n  - "apps/*"\n  - "packages/*"\n\nallowBuilds:\n  x: true\n');
    writeFileSync(join(root, 'package.json'), '{ "name": "root" }');
    writeFileSync(join(root, 'apps', 'web', 'package.json'), '{ "name": "web", "dependencies": { "@acme/database": "workspace:*" } }');
    writeFileSync(join(root, 'packages', 'database', 'package.json'), '{ "name": "@acme/database" }');
    writeFileSync(join(root, 'packages', 'database', 'prisma.config.ts'), 'export default defineConfig({ schema: "./schema" });');
    writeFileSync(join(root, 'packages', 'database', 'schema', 'main.prisma'), 'model Invite {\n  id String @id\n  email String\n  organizationId String\n}\n');
    const code = `export async function invite(email: string, organizationId: string) {
  const existing = await prisma.invite.findFirst({ where: { email, organizationId } });
  if (existing) throw new InvalidInputError('Invite already exists');
  return prisma.invite.create({ data: { email, organizationId } });
}`;
    expect(lint(code, join(root, 'apps', 'web', 'lib', 'invite.ts'), []).map((message) => message.messageId)).toEqual(['checkThenRejectDuplicates']);
    // Two schemas it could mean: it does not guess.
    mkdirSync(join(root, 'packages', 'other', 'prisma'), { recursive: true });
    writeFileSync(join(root, 'packages', 'other', 'package.json'), '{ "name": "@acme/other" }');
    writeFileSync(join(root, 'packages', 'other', 'prisma', 'schema.prisma'), 'model Invite {\n  id String @id\n  email String @unique\n}\n');
    mkdirSync(join(root, 'apps', 'admin'), { recursive: true });
    writeFileSync(join(root, 'apps', 'admin', 'package.json'), '{ "name": "admin", "dependencies": { "@acme/database": "workspace:*", "@acme/other": "workspace:*" } }');
    expect(lint(code, join(root, 'apps', 'admin', 'invite.ts'), []).map((message) => message.messageId)).toEqual(['checkThenRejectUnverified']);
  });
});
