import { createInterface } from 'node:readline/promises';
import { Command } from 'commander';
import { contextFor } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import { ApiClient } from '../http/client.js';
import { defaultLoginFilePath, writeSavedLogin } from '../login-file.js';

async function askToken(url: string): Promise<string | undefined> {
  if (!process.stdin.isTTY) return undefined;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(`token for ${url}: `)).trim() || undefined;
  } finally {
    rl.close();
  }
}

export function loginCommand(): Command {
  return new Command('login')
    .description('check a server URL and token, then remember them for later commands')
    .addHelpText(
      'after',
      '\nUses --url and --token (or LOGSIFT_URL / LOGSIFT_TOKEN, or the token npm start keeps in ./data/token);\n' +
        'asks for the token when none is found and stdin is a terminal.\n' +
        'Stored in $XDG_CONFIG_HOME/logsift/config.json (else ~/.config/logsift/config.json), mode 0600.',
    )
    .action(async (_options: unknown, command: Command) => {
      const { output, settings } = contextFor(command);
      const { url, token: found } = await settings();
      const token = found ?? (output.json ? undefined : await askToken(url));
      if (!token) throw new CliError('no token: pass --token <token> (npm start prints it)', EXIT.usage);
      const client = new ApiClient(url, token);
      try {
        await client.listUploads(1); // any /api route checks the token; this one is cheap
      } finally {
        await client.close();
      }
      const file = defaultLoginFilePath();
      await writeSavedLogin(file, { url, token });
      output.data({ url, file });
      output.line(`logged in to ${url}; settings saved in ${file}`);
    });
}
