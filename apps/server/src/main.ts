/**
 * `npm start`: the studio on PORT (default 8080) with its data in ATTUNE_DATA (default ./data).
 * Prints one line when it listens; SIGTERM and SIGINT close it cleanly (rooms closed, sessions
 * left open to be resumed); a bad setting stops it with a one-line reason.
 */
import { startStudio } from './app.ts';
import { ConfigError, configFromEnv } from './config.ts';

let options: ReturnType<typeof configFromEnv>;
try {
  options = configFromEnv(process.env, process.cwd());
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

try {
  const studio = await startStudio(options);
  console.log(`Attune is running on ${studio.url} (data in ${options.dataDir})`);
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      studio.close().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(
            `Attune could not close cleanly: ${error instanceof Error ? error.message : String(error)}`,
          );
          process.exit(1);
        },
      );
    });
  }
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`Attune could not start: ${message.split('\n')[0]}`);
  process.exit(1);
}
