/** The `logsift` command line: global options, the commands, and the exit code of a run. */
import { Command, CommanderError } from 'commander';
import { detectCommand } from './commands/detect.js';
import { formatsCommand } from './commands/formats.js';
import { generateCommand } from './commands/generate.js';
import { loginCommand } from './commands/login.js';
import { patternsCommand } from './commands/patterns.js';
import { replayCommand } from './commands/replay.js';
import { reportCommand } from './commands/report.js';
import { simulateCommand } from './commands/simulate.js';
import { statusCommand } from './commands/status.js';
import { uploadCommand } from './commands/upload.js';
import { uploadsCommand } from './commands/uploads.js';
import { CliError, EXIT, EXIT_CODES_HELP, type ExitCode, exitCodeFor } from './exit-codes.js';
import { DEFAULT_URL } from './settings.js';

const CONNECTION_HELP = `
Connection (first found wins): --url/--token, LOGSIFT_URL/LOGSIFT_TOKEN, the file logsift login writes,
then ${DEFAULT_URL} with the token npm start keeps in ./data/token (DATA_DIR/token).`;

export function buildProgram(): Command {
  const program = new Command('logsift')
    .description('Upload logs to a logsift server, follow their processing and fetch their reports.')
    .option('--url <url>', `server URL (default ${DEFAULT_URL})`)
    .option('--token <token>', 'API token')
    .option('--json', 'print machine-readable JSON only')
    .showSuggestionAfterError()
    .addHelpText('after', `${CONNECTION_HELP}\n${EXIT_CODES_HELP}`);
  for (const command of [
    uploadCommand(),
    statusCommand(),
    reportCommand(),
    uploadsCommand(),
    generateCommand(),
    formatsCommand(),
    detectCommand(),
    patternsCommand(),
    loginCommand(),
    replayCommand(),
    simulateCommand(),
  ]) {
    program.addCommand(command);
  }
  // Commander throws instead of exiting, here and in every command, so `run` decides the exit code.
  const throwInstead = (command: Command) => {
    command.exitOverride();
    for (const sub of command.commands) throwInstead(sub);
  };
  throwInstead(program);
  return program;
}

/** Prints a failure the way the run's mode asks: a sentence for people, `{ error }` JSON for scripts. */
function reportError(err: unknown, exitCode: ExitCode, json: boolean, stderr: NodeJS.WritableStream): void {
  const message = err instanceof Error ? err.message : String(err);
  if (json) {
    const code = err instanceof CliError && err.code ? err.code : undefined;
    stderr.write(`${JSON.stringify({ error: { code: code ?? null, message, exitCode } })}\n`);
  } else {
    stderr.write(`logsift: ${message}\n`);
  }
}

/** Runs the command line `argv` (without node and the script) and returns the exit code. */
export async function run(
  argv: readonly string[],
  stderr: NodeJS.WritableStream = process.stderr,
): Promise<ExitCode> {
  const program = buildProgram();
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT.usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander printed its message already; help and --version end a run successfully.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const exitCode = exitCodeFor(err);
    if (!(err instanceof CliError && err.shown)) reportError(err, exitCode, argv.includes('--json'), stderr);
    return exitCode;
  }
}
