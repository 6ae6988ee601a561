import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import transform from '../../codemods/no-findunique-then-create';
import { runCodemod } from '../helpers/run-codemod';
import { CLEANUP_TIMEOUT_MS, removeQuietly } from '../helpers/scratch';
import { postgresUnavailable, startPostgres, type PostgresServer } from '../helpers/postgres';

const root = join(__dirname, '..', '..');
const unavailable = postgresUnavailable();
if (unavailable) console.warn(`no-findunique-then-create proof skipped: ${unavailable}`);

interface Variant {
  /** 8 concurrent calls on each of 50 fresh keys; `aborted`: 25P02 "current transaction is aborted"; `mails`: side effects run. */
  fresh: { calls: number; p2002: number; aborted: number; otherErrors: number; wrongResults: number; keys: number; keysWithOneRow: number; mails?: number; createdAnswers?: number };
  /** 8 concurrent calls on each of 10 keys that exist; `errorLogLines`: Prisma error events, each a `prisma:error` block with `log: ['error']`. */
  existing: { errors: number; changedRows: number; errorLogLines: number };
  approvals: { calls: number; p2002: number; refused: number; otherErrors: number; entities: number; entitiesWithOneRow: number };
  /** 8 callers, each with its own name, on each fresh key: refused as an existing row is, failed with P2002, or given whose row. */
  callers: { calls: number; p2002: number; refused: number; otherErrors: number; ownRow: number; othersRow: number; keysWithOneRow: number };
  /** 8 callers with their own rating on each of 50 fresh compound keys: updates lost (never written), and whether each row holds the last write. */
  ratings: { calls: number; p2002: number; otherErrors: number; ownValue: number; lostUpdates: number; keysWithOneRow: number; lastWriterKept: number };
}

describe.skipIf(unavailable !== undefined)('read-then-create on a real PostgreSQL 15, 8 concurrent calls × 50 fresh keys', () => {
  let server: PostgresServer;
  let project: string;
  const results: Record<string, Record<string, Variant>> = {};
  let reports: string[] = [];
  let typeErrors = '';

  beforeAll(async () => {
    server = startPostgres(54329);
    project = mkdtempSync(join(tmpdir(), 'deploy-safe-race-'));
    cpSync(join(__dirname, 'fixtures', 'no-findunique-then-create'), project, { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(project, 'node_modules'), 'dir');
    const env = { ...process.env, DATABASE_URL: server.url, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true' };
    execFileSync(join(root, 'node_modules', '.bin', 'prisma'), ['generate'], { cwd: project, env, stdio: 'pipe' });
    const client = new Client({ connectionString: server.url });
    await client.connect();
    await client.query(`CREATE TABLE "User" (id serial PRIMARY KEY, email text NOT NULL UNIQUE, name text, "createdAt" timestamptz NOT NULL DEFAULT now(), "updatedAt" timestamptz NOT NULL)`);
    await client.query(`CREATE TABLE "Approval" (id serial PRIMARY KEY, "entityId" text NOT NULL, status text NOT NULL)`);
    await client.query(`CREATE TABLE "Rating" (id serial PRIMARY KEY, "userId" int NOT NULL, "storeId" int NOT NULL, rating int NOT NULL, UNIQUE ("userId", "storeId"))`);
    // Every value written to a rating, in write order (writes to one row wait on its lock): whose update was lost, who wrote last.
    await client.query(`CREATE TABLE "RatingWrite" (id serial PRIMARY KEY, "userId" int NOT NULL, "storeId" int NOT NULL, rating int NOT NULL)`);
    await client.query(`CREATE FUNCTION log_rating() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO "RatingWrite" ("userId", "storeId", rating) VALUES (NEW."userId", NEW."storeId", NEW.rating); RETURN NEW; END $$`);
    await client.query(`CREATE TRIGGER rating_write AFTER INSERT OR UPDATE ON "Rating" FOR EACH ROW EXECUTE FUNCTION log_rating()`);
    await client.end();

    const original = readFileSync(join(project, 'snippets.ts'), 'utf8');
    writeFileSync(join(project, 'original.ts'), original);
    const rewritten = await runCodemod(transform, original, join(project, 'rewritten.ts'), { 'schema-dir': project });
    expect(rewritten.changed).toBe(true);
    reports = rewritten.reports;
    writeFileSync(join(project, 'rewritten.ts'), rewritten.output);
    // The rewrite type-checks against the generated client (tsx below only strips types).
    try {
      execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '--strict', '--skipLibCheck', '--target', 'es2022', '--module', 'nodenext', '--types', 'node', 'original.ts', 'rewritten.ts'], { cwd: project, encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      typeErrors = `${(error as { stdout?: string }).stdout ?? error}`;
    }
    for (const variant of ['original', 'rewritten']) {
      const output = execFileSync(process.execPath, ['--require', require.resolve('tsx/cjs'), 'race.ts', variant], { cwd: project, env, encoding: 'utf8' });
      results[variant] = JSON.parse(output.trim().split('\n').at(-1)!) as Record<string, Variant>;
    }
  }, 240_000);

  afterAll(() => {
    server?.stop();
    if (project) return removeQuietly(project);
  }, CLEANUP_TIMEOUT_MS);

  it('the originals fail with P2002: findUnique-then-create and upsert with an empty update alike', () => {
    expect(results.original.ensureUser.fresh.p2002).toBeGreaterThan(0);
    expect(results.original.ensureUserWithEmptyUpsert.fresh.p2002).toBeGreaterThan(0);
  });

  it('the originals inside a transaction fail with P2002 too: a helper taking Prisma.TransactionClient, an alias, an empty-update upsert', () => {
    for (const name of ['ensureUserInTransaction', 'aliasInTransaction', 'emptyUpsertInTransaction']) expect(results.original[name].fresh.p2002, name).toBeGreaterThan(0);
  });

  it('catching P2002 inside the transaction (what the codemod must not write) aborts it: 25P02 on the next statement', () => {
    expect(results.original.ensureUserInTransactionReadBack.fresh.aborted).toBeGreaterThan(0);
  });

  it('create first, read on P2002 (the earlier rewrite of an empty-update upsert): an error event (a prisma:error block) for every call on an existing row', () => {
    expect(results.original.ensureUserCreateFirst.existing).toEqual({ errors: 0, changedRows: 0, errorLogLines: 80 });
  });

  for (const name of ['ensureUser', 'ensureUserWithEmptyUpsert', 'ensureUserInTransaction', 'aliasInTransaction', 'emptyUpsertInTransaction']) {
    it(`${name}, rewritten: 0 errors, no aborted transaction, the right row returned to every caller, exactly one row per key`, () => {
      expect(results.rewritten[name].fresh).toEqual({ calls: 400, p2002: 0, aborted: 0, otherErrors: 0, wrongResults: 0, keys: 50, keysWithOneRow: 50 });
    });

    it(`${name}, rewritten: existing rows are left unchanged (no updatedAt bump, no overwrite) and log no error`, () => {
      expect(results.rewritten[name].existing).toEqual({ errors: 0, changedRows: 0, errorLogLines: 0 });
    });
  }

  it('the rewrite type-checks against the generated client (strict)', () => {
    expect(typeErrors).toBe('');
  });

  it('a welcome e-mail after the create: one per created row in the original, whose losers fail with P2002; read back after P2002 the losers mail too', () => {
    for (const name of ['welcomeUser', 'welcomeUserInBlock', 'welcomeUserInTransaction']) {
      expect(results.original[name].fresh, name).toMatchObject({ keysWithOneRow: 50, mails: 50 });
      expect(results.original[name].fresh.p2002, name).toBeGreaterThan(0);
    }
    expect(results.original.welcomeUserReadBack.fresh.mails).toBeGreaterThan(50);
  });

  for (const name of ['welcomeUser', 'welcomeUserInBlock', 'welcomeUserInTransaction']) {
    it(`${name}, rewritten: 0 errors, the right row to every caller, exactly one mail per created row (none in the fallback)`, () => {
      expect(results.rewritten[name].fresh).toEqual({ calls: 400, p2002: 0, aborted: 0, otherErrors: 0, wrongResults: 0, keys: 50, keysWithOneRow: 50, mails: 50 });
    });
  }

  it('an answer that says whether the call created the row: one `created: true` per row in the original, whose losers fail with P2002; read back after P2002 with the answer as it was, the losers say true too', () => {
    expect(results.original.signUpUser.fresh).toMatchObject({ keysWithOneRow: 50, createdAnswers: 50 });
    expect(results.original.signUpUser.fresh.p2002).toBeGreaterThan(0);
    expect(results.original.signUpUserReadBack.fresh.createdAnswers).toBeGreaterThan(50);
  });

  it('that answer, rewritten (the flag the fallback clears): 0 errors, the right row to every caller, exactly one `created: true` per row', () => {
    expect(results.rewritten.signUpUser.fresh).toEqual({ calls: 400, p2002: 0, aborted: 0, otherErrors: 0, wrongResults: 0, keys: 50, keysWithOneRow: 50, createdAnswers: 50 });
  });

  it('update-or-create on a compound key (no native upsert): the original fails the losers with P2002, their updates never written', () => {
    const { ratings } = results.original.rate;
    expect(ratings.p2002).toBeGreaterThan(0);
    expect(ratings.p2002 + ratings.ownValue).toBe(400);
  });

  it('update-or-create on a compound key, rewritten (P2002 → the same update): 0 errors, no update lost, the last writer\'s value kept', () => {
    expect(results.rewritten.rate.ratings).toEqual({ calls: 400, p2002: 0, otherErrors: 0, ownValue: 400, lostUpdates: 0, keysWithOneRow: 50, lastWriterKept: 50 });
  });

  it('check-then-reject with no unique constraint on the fields checked: no P2002, duplicate rows (what the rule says); the codemod leaves it', () => {
    const { approvals } = results.original.requestApproval;
    expect(approvals.p2002).toBe(0);
    expect(approvals.entitiesWithOneRow).toBeLessThan(50);
    expect(reports.some((report) => /approval\.findFirst` filters on entityId, status, which is not a unique key/.test(report))).toBe(true);
  });

  it('check-then-reject (NestJS): the original fails the losers with P2002; rewritten, they are refused with the same ConflictException, and nobody gets another caller\'s row', () => {
    expect(results.original.registerUser.callers.p2002).toBeGreaterThan(0);
    expect(results.original.registerUser.callers.othersRow).toBe(0);
    expect(results.rewritten.registerUser.callers).toEqual({ calls: 400, p2002: 0, refused: 350, otherErrors: 0, ownRow: 50, othersRow: 0, keysWithOneRow: 50 });
  });

  it('check-then-reject (Express): left as it was, with a report that says how to answer the losers; nobody gets another caller\'s row', () => {
    expect(reports.some((report) => /rejects the request \(line \d+ answers 400\)/.test(report))).toBe(true);
    expect(results.rewritten.registerHandler.callers.othersRow).toBe(0);
    expect(results.rewritten.registerHandler.callers.p2002).toBeGreaterThan(0);
  });

  it('check-then-reject read back after P2002 (what the codemod must not write) hands losers the winner\'s account', () => {
    expect(results.original.registerUserReadBack.callers.othersRow).toBeGreaterThan(0);
  });

  it('update-or-create: the original fails the losers with P2002; rewritten to a native upsert, every caller\'s update is applied and returned', () => {
    expect(results.original.saveProfile.callers.p2002).toBeGreaterThan(0);
    expect(results.rewritten.saveProfile.callers).toEqual({ calls: 400, p2002: 0, refused: 0, otherErrors: 0, ownRow: 400, othersRow: 0, keysWithOneRow: 50 });
  });

  it('update-or-create read back after P2002 (what the codemod must not write) drops the losers\' updates', () => {
    expect(results.original.saveProfileReadBack.callers.othersRow).toBeGreaterThan(0);
  });

  it('prints the measurements', () => {
    console.log(JSON.stringify(results));
    expect(Object.keys(results)).toEqual(['original', 'rewritten']);
  });
});
