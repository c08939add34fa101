/**
 * The `attune` command. Each subcommand lives in its own module under `commands/`; this file
 * only dispatches and turns thrown errors into a one-line reason and a non-zero exit status.
 */
import { commands, usage } from './commands/index.ts';
import { CliError, type Io } from './io.ts';

/** Runs the command line and returns the exit status. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`attune: unknown command '${name}' (try 'attune --help')\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.help);
    return 0;
  }
  try {
    await command.run(rest, io);
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`attune ${name}: ${error.message}\n`);
      return error.status;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`attune ${name}: ${message.split('\n')[0]}\n`);
    return 1;
  }
}
