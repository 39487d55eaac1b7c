/** What every command receives: its output and, for commands that talk to the server, a client. */
import type { Command } from 'commander';
import { ApiClient } from './http/client.js';
import { loadSettings } from './login-file.js';
import { createOutput, type Output } from './output/print.js';
import type { ServerSettings } from './settings.js';

/** The options `logsift` accepts before or after any command. */
export interface GlobalOptions {
  url?: string;
  token?: string;
  json?: boolean;
}

export interface CommandContext {
  output: Output;
  settings(): Promise<ServerSettings>;
  /** Runs `work` with a client for the configured server and closes its connections afterwards. */
  withClient<T>(work: (client: ApiClient) => Promise<T>): Promise<T>;
}

export function contextFor(command: Command): CommandContext {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const output = createOutput(globals.json === true);
  const settings = () => loadSettings({ url: globals.url, token: globals.token });
  return {
    output,
    settings,
    async withClient(work) {
      const { url, token } = await settings();
      const client = new ApiClient(url, token);
      try {
        return await work(client);
      } finally {
        await client.close();
      }
    },
  };
}
