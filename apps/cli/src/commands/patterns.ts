import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Command } from 'commander';
import { contextFor } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import { loadFormats } from '../jobs-formats.js';
import { formatCount, formatDuration, formatPercent } from '../output/human.js';
import { readHead, sampleLines } from '../sample.js';

interface PatternsFlags {
  format?: string;
  output: string;
  tz?: string;
}

const csvField = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/**
 * `logsift patterns`: mines a file's message templates offline and writes one CSV row per record in the
 * Loghub shape (LineId, EventId, EventTemplate), the shape template-mining benchmarks are scored on.
 */
export function patternsCommand(): Command {
  return new Command('patterns')
    .description(
      'mine message templates from a file offline; one CSV row per record: LineId,EventId,EventTemplate',
    )
    .argument('<file>', 'a log file, plain or gzip')
    .option('--format <format>', 'a format name or a Loghub-style pattern (default: detected)')
    .option('--tz <zone>', 'time zone for timestamps written without one')
    .requiredOption('-o, --output <file>', 'CSV file to write')
    .action(async (file: string, flags: PatternsFlags, command: Command) => {
      const { output } = contextFor(command);
      const started = Date.now();
      const formats = await loadFormats();
      const { TemplateMiner } = await import('@logsift/jobs/templates');
      const ctx = { ...(flags.tz ? { tz: flags.tz } : {}), referenceTime: Date.now() };
      const head = await readHead(file);
      let format = flags.format
        ? /<\w+>/.test(flags.format)
          ? formats.compileLoghubFormat('custom', flags.format)
          : formats.getFormat(flags.format)
        : formats.detectFormat(sampleLines(head), ctx).format;
      if (!format) throw new CliError(`unknown format "${flags.format}"; see logsift formats`, EXIT.usage);
      if (format.name === 'raw') format = formats.getFormat('raw') ?? format;

      const miner = new TemplateMiner();
      let ids = new Int32Array(1 << 16);
      let records = 0;
      let parsed = 0;
      const splitter = new formats.LineSplitter();
      const assembler = new formats.RecordAssembler({ format, ctx });
      const take = (record: { text: string; lineCount: number }) => {
        const nl = record.lineCount > 1 ? record.text.indexOf('\n') : -1;
        const fields = format.parse(nl >= 0 ? record.text.slice(0, nl) : record.text, ctx);
        if (fields && format.name !== 'raw') parsed++;
        const message = fields
          ? nl >= 0
            ? fields.message + record.text.slice(nl)
            : fields.message
          : record.text;
        if (records === ids.length) {
          const grown = new Int32Array(ids.length * 2);
          grown.set(ids);
          ids = grown;
        }
        ids[records++] = miner.add(message);
      };
      const source = createReadStream(file);
      const stream = head.gzip ? source.pipe(createGunzip()) : source;
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        for (const line of splitter.push(chunk)) for (const r of assembler.push(line)) take(r);
      }
      for (const line of splitter.end()) for (const r of assembler.push(line)) take(r);
      for (const r of assembler.end()) take(r);
      const { templates } = miner.resolve();

      const out = createWriteStream(resolve(flags.output));
      out.write('LineId,EventId,EventTemplate\n');
      for (let i = 0; i < records; i++) {
        const t = miner.templateOf(ids[i] as number);
        if (!out.write(`${i + 1},${t.id},${csvField(t.text)}\n`)) await once(out, 'drain');
      }
      out.end();
      await finished(out);
      output.data({
        file,
        output: flags.output,
        format: format.name,
        records,
        parsed,
        templates: templates.length,
      });
      output.line(
        `${file}: ${formatCount(records)} records (${formatPercent(records ? parsed / records : 0)} parsed as ${format.name}), ` +
          `${formatCount(templates.length)} templates -> ${flags.output} in ${formatDuration(Date.now() - started)}`,
      );
    });
}
