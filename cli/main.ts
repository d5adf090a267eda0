import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ConfigError, isKnownRegion } from '../lib/config';
import { COLLECTOR_IDS } from '../lambdas/collectors/registry';
import { PRODUCER } from '../lambdas/producer';
import { CliError, explainSetupError } from './cli-error';
import { collect } from './collect';
import { registerControls } from './controls';
import { addReviewCommands } from './review';
import { addExceptionCommands } from './exception';
import { demoTable, runDemo, verifiedAsStaged } from './demo';
import { loadCliConfig } from './load-config';
import { registerPull } from './pull';
import { registerReport } from './report';
import { registerRun } from './run';
import { registerVerify } from './verify';
import { registerPin } from './trust/pin';
import { messageOf } from '../lambdas/aws/aws-error';

function regionList(value: string): string[] {
  const regions = value
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const bad = regions.filter((r) => !isKnownRegion(r));
  if (regions.length === 0 || bad.length > 0) {
    throw new InvalidArgumentError(
      `expected comma-separated region codes such as us-east-1,eu-west-1, got "${value}"`,
    );
  }
  return regions;
}

export function buildProgram(out: (line: string) => void = (l) => console.log(l)): Command {
  const program = new Command('soc2-evidence')
    .description('Collect, pull and verify SOC 2 evidence from an AWS account.')
    .version(PRODUCER.version)
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('collect')
    .description('Run collectors once with your AWS credentials and write their evidence.')
    .argument('[collectors...]', `collector ids: ${COLLECTOR_IDS.join(', ')}`)
    .option('--all', 'run every collector')
    .option(
      '--bucket <name>',
      'write to this evidence bucket (S3); refused unless its retention mode is GOVERNANCE or --unsigned is given (use `run` instead)',
    )
    .option('--unsigned', 'with --bucket: write unsigned evidence into a COMPLIANCE bucket anyway')
    .option('--dir <path>', 'write to this local directory, in the same layout as the bucket')
    .option(
      '--regions <list>',
      'comma-separated regions for regional collectors (default: config)',
      regionList,
    )
    .option(
      '--config <file>',
      'read the soc2Evidence block from this cdk.json (default: ./cdk.json if present)',
    )
    .action(
      async (
        ids: string[],
        opts: {
          all?: boolean;
          bucket?: string;
          dir?: string;
          regions?: string[];
          config?: string;
          unsigned?: boolean;
        },
      ) => {
        const code = await collect(ids, opts, loadCliConfig(opts.config), out);
        process.exitCode = code;
      },
    );

  program
    .command('demo')
    .description(
      'Run every collector offline against the bundled sample account (no AWS account needed), with its own fixed configuration: cdk.json is not read.',
    )
    .option('--out <dir>', 'where to write the evidence tree', './demo-evidence')
    .option(
      '--organization',
      'run as the hub of a three-account organization: a signed account list per run, each account through its member role (one role broken: ERROR evidence), IAM Identity Center in the access review',
    )
    .action(async (opts: { out: string; organization?: boolean }) => {
      const result = await runDemo(opts.out, new Date(), {
        notice: out,
        ...(opts.organization ? { organization: true } : {}),
      });
      for (const line of demoTable(result)) out(line);
      // The gap is staged on purpose (verify exits 3 for it); any other outcome is a bug worth a non-zero exit.
      process.exitCode = verifiedAsStaged(result) ? 0 : result.auditorPackage.verifyExitCode || 1;
    });

  registerRun(program, out);
  registerPin(program, out);
  registerPull(program, out);
  registerVerify(program, out);
  registerReport(program, out);
  registerControls(program, out);

  addReviewCommands(program, out);
  addExceptionCommands(program, out);
  return program;
}

/**
 * On Node.js 20 the AWS SDK prints an eight-line NodeVersionSupportWarning (SDK versions published after
 * January 2027 will need Node.js 22) before the first client is made, so above every error of every command.
 * It is about SDK versions this CLI does not get (package-lock.json pins them), so a user cannot act on it
 * here; the README states the Node.js requirement. The SDK's own switch turns off that one notice (set
 * before any client exists); every other process warning still prints. An explicit setting is left alone.
 */
export function quietSdkNodeNotice(env: NodeJS.ProcessEnv = process.env): void {
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

/** Runs the CLI; user errors print one line and set a non-zero exit code, never a stack trace. */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  quietSdkNodeNotice();
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv as string[]);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    if (err instanceof CliError || err instanceof ConfigError) {
      console.error(`soc2-evidence: ${explainSetupError(err.message)}`);
      process.exitCode = err instanceof CliError ? err.exitCode : 1;
      return;
    }
    console.error(`soc2-evidence: ${explainSetupError(messageOf(err))}`);
    process.exitCode = 1;
  }
}
