import type { CommandSite } from './deploy-file-commands';
import { DATA_LOSS_FLAGS, failureCarrier, failureHiders, prismaInvocation, type PrismaInvocation } from './prisma-cli-command';
import type { ShellCommand } from './shell-command';

export type MigrationProblemId = 'dbPushOnDeploy' | 'dataLossFlag' | 'hiddenFailure' | 'devMigrationOnDeploy';

export interface MigrationProblem {
  messageId: MigrationProblemId;
  data: Record<string, string>;
  /** Source offsets to underline. */
  start: number;
  end: number;
  site: CommandSite;
  command: ShellCommand;
  invocation: PrismaInvocation;
  /** hiddenFailure: the commands after `||` / `;` that hide the failure. */
  hiders?: ShellCommand[];
  /** hiddenFailure: the command the hiding operator follows (the migration, or what ends its compound or `&&` chain). */
  carrier?: ShellCommand;
}

/**
 * What is wrong with the Prisma calls of some command sites: `db push` (and `migrate dev` / `migrate reset`)
 * where it runs on deploy, flags that let Prisma drop data (anywhere but test scripts), and a migration
 * whose failure is hidden (`|| true`, `|| exit 0`, `; node server.js`).
 */
export function findMigrationProblems(source: string, sites: readonly CommandSite[]): MigrationProblem[] {
  const problems: MigrationProblem[] = [];
  for (const site of sites) {
    site.commands.forEach((command) => {
      const invocation = prismaInvocation(command);
      if (!invocation) return;
      const base = { site, command, invocation };
      if (site.checkDataLoss) {
        for (const flag of invocation.flags) {
          const name = flag.value.split('=')[0];
          if (DATA_LOSS_FLAGS.has(name)) problems.push({ ...base, messageId: 'dataLossFlag', data: { flag: name }, start: flag.start, end: flag.end });
        }
      }
      if (!site.deployTime || invocation.subcommand === 'other') return;
      if (invocation.subcommand === 'db push') {
        problems.push({ ...base, messageId: 'dbPushOnDeploy', data: { where: site.where }, start: command.start, end: command.end });
      } else if (invocation.subcommand === 'migrate dev' || invocation.subcommand === 'migrate reset') {
        problems.push({ ...base, messageId: 'devMigrationOnDeploy', data: { command: `prisma ${invocation.subcommand}`, where: site.where }, start: command.start, end: command.end });
      }
      const siblings = site.commands.filter((other) => other.parent === command.parent);
      const hiders = failureHiders(siblings, siblings.indexOf(command), site.checkSequence);
      if (hiders) {
        const carrier = siblings[failureCarrier(siblings, siblings.indexOf(command))];
        let start = carrier.afterFrom ?? carrier.end;
        while (start < source.length && /[\s"']/.test(source[start]) && source[start] !== '|' && source[start] !== ';' && source[start] !== '&') start += 1;
        const end = carrier.after === '||' ? Math.max(carrier.afterTo![1], hiders.at(-1)!.end) : hiders.at(-1)!.end;
        const hider = source.slice(start, end).replace(/\s+/g, ' ');
        problems.push({ ...base, messageId: 'hiddenFailure', data: { hider, command: `prisma ${invocation.subcommand}` }, start, end, hiders, carrier });
      }
    });
  }
  return problems;
}
