import { RuleTester } from '@typescript-eslint/rule-tester';
import rule from '../../src/rules/no-findunique-then-create';

const ruleTester = new RuleTester();

ruleTester.run('no-findunique-then-create', rule, {
  valid: [
    // Tests and end-to-end setups are not a deployed service: skipped by default.
    { code: `const existingAdmin = await prisma.user.findUnique({ where: { email: adminEmail } });
if (!existingAdmin) await prisma.user.create({ data: { email: adminEmail, role: 'admin' } });`, filename: 'test/setup.ts' },
    { code: `const existingAdmin = await prisma.user.findUnique({ where: { email: adminEmail } });
if (!existingAdmin) await prisma.user.create({ data: { email: adminEmail, role: 'admin' } });`, filename: 'src/users/users.service.spec.ts' },
    { code: `const existingAdmin = await prisma.user.findUnique({ where: { email: adminEmail } });
if (!existingAdmin) await prisma.user.create({ data: { email: adminEmail, role: 'admin' } });`, filename: 'e2e/global-setup.ts' },
    // A read on one model and a write on another.
    `async function f(email: string) {
  const user = await prisma.user.findUnique({ where: { email } });
  if (!user) await prisma.auditLog.create({ data: { event: 'missing-user', email } });
}`,
    // A read used only to validate and throw.
    `async function signUp(email: string) {
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing) throw new ConflictException('Email already registered');
  return prisma.user.create({ data: { email } });
}`,
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
    // Reads and creates in different functions.
    `const find = (email) => prisma.user.findUnique({ where: { email } });
const make = (email) => prisma.user.create({ data: { email } });`,
    // Not Prisma: no model between the client and the method.
    "const row = await repo.findFirst({ email }); if (!row) await repo.create({ email });",
  ],
  invalid: [
    {
      // ignoreFiles: [] checks tests too.
      code: `const existingAdmin = await prisma.user.findUnique({ where: { email: adminEmail } });
if (!existingAdmin) await prisma.user.create({ data: { email: adminEmail, role: 'admin' } });`,
      filename: 'test/setup.ts',
      options: [{ ignoreFiles: [] }],
      errors: [{ messageId: 'readThenCreate', line: 2 }],
    },
    {
      // The admin seed of a real incident.
      code: `const existingAdmin = await prisma.user.findUnique({
  where: { email: adminEmail },
});

if (existingAdmin) {
  console.log('Admin already exists');
} else {
  const admin = await prisma.user.create({ data: { email: adminEmail, role: 'admin' } });
}`,
      errors: [{ messageId: 'readThenCreate', data: { model: 'user', read: 'findUnique', line: '1' }, line: 8, column: 35 }],
    },
    {
      code: "async function f() {\n  const x = await this.prisma.user.findFirst({ where: { email } });\n  if (x === null) {\n    await this.prisma.user.create({ data: { email } });\n  }\n}",
      errors: [{ messageId: 'readThenCreate', data: { model: 'user', read: 'findFirst', line: '2' }, line: 4 }],
    },
    {
      code: "async function f() {\n  const x = await db.user.findUnique({ where: { email } });\n  if (x) return x;\n  return db.user.create({ data: { email } });\n}",
      errors: [{ messageId: 'readThenCreate', line: 4 }],
    },
    {
      code: "async function f() {\n  const x = await prisma.user.findUnique({ where: { email } });\n  if (x) await prisma.user.update({ where: { email }, data: { name } });\n  else await prisma.user.create({ data: { email, name } });\n}",
      errors: [{ messageId: 'readThenCreate', line: 4 }],
    },
    {
      code: "const x = await prisma.tag.findUnique({ where: { name } });\nconst tag = x ?? (await prisma.tag.create({ data: { name } }));",
      errors: [{ messageId: 'readThenCreate', line: 2 }],
    },
    {
      code: "const x = await prisma.tag.findUnique({ where: { name } });\nconst tag = x || await prisma.tag.create({ data: { name } });",
      errors: [{ messageId: 'readThenCreate' }],
    },
    {
      code: "const x = await prisma.tag.findUnique({ where: { name } });\nconst tag = x ? x : await prisma.tag.create({ data: { name } });",
      errors: [{ messageId: 'readThenCreate' }],
    },
    {
      // In a loop (seed scripts), on a transaction client at the default isolation level.
      code: `await prisma.$transaction(async (tx) => {
  for (const name of ['first-login', 'first-post']) {
    const found = await tx.achievement.findFirst({ where: { name } });
    if (!found) await tx.achievement.create({ data: { name, description: name } });
  }
});`,
      errors: [{ messageId: 'readThenCreate', data: { model: 'achievement', read: 'findFirst', line: '3' }, line: 4 }],
    },
    {
      code: "async function f() {\n  let user;\n  try {\n    user = await prisma.user.findUniqueOrThrow({ where: { email } });\n  } catch {\n    user = await prisma.user.create({ data: { email } });\n  }\n}",
      errors: [{ messageId: 'readThenCreate', data: { model: 'user', read: 'findUniqueOrThrow', line: '4' } }],
    },
    {
      code: "await prisma.user.upsert({ where: { email }, update: {}, create: { email } });",
      errors: [{ messageId: 'emptyUpdateUpsert', line: 1, column: 46 }],
    },
  ],
});
