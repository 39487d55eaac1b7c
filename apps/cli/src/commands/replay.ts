import { Command, InvalidArgumentError } from 'commander';
import { request } from 'undici';
import { contextFor } from '../context.js';
import { errorFromNetwork, errorFromResponse } from '../http/response-error.js';
import { formatCount } from '../output/human.js';

interface ReplayFlags {
  from: string;
  to: string;
  service?: string;
}

interface ReplayCounts {
  unchanged: number;
  inserted: number;
  updated: number;
  deleted: number;
}

/** A date (2024-05-01) or an ISO 8601 time; checked here so a typo is a usage error, not a server round trip. */
function parseTime(name: string): (value: string) => string {
  return (value) => {
    const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
    if (Number.isNaN(ms)) throw new InvalidArgumentError(`${name} takes a date or an ISO 8601 time`);
    return value;
  };
}

const counts = (c: ReplayCounts) =>
  `${formatCount(c.unchanged)} unchanged, ${formatCount(c.inserted)} inserted, ` +
  `${formatCount(c.updated)} updated, ${formatCount(c.deleted)} deleted`;

export function replayCommand(): Command {
  return new Command('replay')
    .description('recompute the window and daily metrics of a time range from the stored live events')
    .requiredOption('--from <time>', 'start (a date or ISO 8601 time)', parseTime('--from'))
    .requiredOption('--to <time>', 'end, exclusive (a date or ISO 8601 time)', parseTime('--to'))
    .option('--service <name>', 'only this service')
    .addHelpText(
      'after',
      '\nIdempotent: a second run over the same range changes nothing. Needs an admin token.',
    )
    .action(async (flags: ReplayFlags, command: Command) => {
      const { output, settings } = contextFor(command);
      const { url, token } = await settings();
      let status: number;
      let text: string;
      try {
        const res = await request(`${url}/api/metrics/replay`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: JSON.stringify({
            from: flags.from,
            to: flags.to,
            ...(flags.service ? { service: flags.service } : {}),
          }),
        });
        status = res.statusCode;
        text = await res.body.text();
      } catch (err) {
        throw errorFromNetwork(err, url);
      }
      if (status >= 400) throw errorFromResponse(status, text, token !== undefined);
      const result = JSON.parse(text) as {
        from: string;
        to: string;
        windows: ReplayCounts;
        daily: ReplayCounts;
        templateHours: ReplayCounts;
      };
      output.data(result);
      output.line(`recomputed ${result.from} .. ${result.to}${flags.service ? ` for ${flags.service}` : ''}`);
      output.line(`windows  ${counts(result.windows)}`);
      output.line(`daily    ${counts(result.daily)}`);
      output.line(`template hours  ${counts(result.templateHours)}`);
    });
}
