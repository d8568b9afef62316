import { ConfigError } from '../config/index.ts';
import { DbError } from '../db/index.ts';
import { CliUsageError } from './cli-error.ts';
import { parseCommandArgs, type CliIo, type Command } from './command.ts';
import { auditVerifyCommand } from './commands/audit-verify.ts';
import { keyCreateCommand } from './commands/key-create.ts';
import { migrateCommand } from './commands/migrate.ts';
import { schemaDumpCommand } from './commands/schema-dump.ts';
import { serveCommand } from './commands/serve.ts';
import { tenantCreateCommand } from './commands/tenant-create.ts';
import { workflowApplyCommand } from './commands/workflow-apply.ts';
import { workflowValidateCommand } from './commands/workflow-validate.ts';
import { plansListCommand } from './commands/plans-list.ts';
import { planSetCommand } from './commands/plan-set.ts';
import { limitsSetCommand } from './commands/limits-set.ts';
import { limitsClearCommand } from './commands/limits-clear.ts';
import { limitsShowCommand } from './commands/limits-show.ts';
import { secretsRewrapCommand } from './commands/secrets-rewrap.ts';
import { providersListCommand } from './commands/providers-list.ts';
import { providersSetCommand } from './commands/providers-set.ts';
import { usageCommand } from './commands/usage.ts';
import { statementsListCommand } from './commands/statements-list.ts';
import { statementsShowCommand } from './commands/statements-show.ts';
import { planPricingSetCommand } from './commands/plan-pricing-set.ts';
import { planPricingShowCommand } from './commands/plan-pricing-show.ts';
import { budgetsListCommand } from './commands/budgets-list.ts';
import { budgetsCreateCommand } from './commands/budgets-create.ts';
import { budgetsUpdateCommand } from './commands/budgets-update.ts';
import { budgetsDeleteCommand } from './commands/budgets-delete.ts';
import { alertsListCommand } from './commands/alerts-list.ts';
import { alertsAckCommand } from './commands/alerts-ack.ts';
import { forecastCommand } from './commands/forecast.ts';
import { alertWebhooksListCommand } from './commands/alert-webhooks-list.ts';
import { alertWebhooksCreateCommand } from './commands/alert-webhooks-create.ts';
import { alertWebhooksDeleteCommand } from './commands/alert-webhooks-delete.ts';

export const COMMANDS: readonly Command[] = [
  serveCommand,
  migrateCommand,
  tenantCreateCommand,
  keyCreateCommand,
  auditVerifyCommand,
  schemaDumpCommand,
  workflowApplyCommand,
  workflowValidateCommand,
  plansListCommand,
  planSetCommand,
  limitsSetCommand,
  limitsClearCommand,
  limitsShowCommand,
  secretsRewrapCommand,
  providersListCommand,
  providersSetCommand,
  usageCommand,
  statementsListCommand,
  statementsShowCommand,
  planPricingSetCommand,
  planPricingShowCommand,
  budgetsListCommand,
  budgetsCreateCommand,
  budgetsUpdateCommand,
  budgetsDeleteCommand,
  alertsListCommand,
  alertsAckCommand,
  forecastCommand,
  alertWebhooksListCommand,
  alertWebhooksCreateCommand,
  alertWebhooksDeleteCommand,
];

const MAIN_USAGE = `Usage: shoal <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(18)} ${c.summary}`).join('\n')}

Run "shoal <command> --help" for a command's options.`;

function findCommand(argv: string[]): { command: Command; rest: string[] } | null {
  for (const command of COMMANDS) {
    const words = command.name.split(' ');
    if (words.every((word, i) => argv[i] === word)) return { command, rest: argv.slice(words.length) };
  }
  return null;
}

/** Runs one command; returns the exit code. 2 = bad arguments or configuration. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(MAIN_USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    io.err(`Unknown command "${argv.join(' ')}"\n\n${MAIN_USAGE}`);
    return 2;
  }
  try {
    const values = parseCommandArgs(found.command, found.rest);
    if (values.help) {
      io.out(found.command.usage);
      return 0;
    }
    return await found.command.run(values, io);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.err(`Error: ${error.message}\n\n${error.usage}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.err(error.message);
      return 2;
    }
    if (error instanceof DbError) {
      io.err(`Error ${error.code}: ${error.message}`);
      return 1;
    }
    // Anything else (a database refusing, a port in use) is reported in one line, not a stack.
    const code =
      error instanceof Error && 'code' in error && typeof error.code === 'string' ? ` ${error.code}` : '';
    io.err(`Error${code}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

/** The real process's streams and environment. */
export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
};
