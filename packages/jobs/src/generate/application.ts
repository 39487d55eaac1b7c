/**
 * Application records (level, service, message) for the json and plain formats, drawn from the
 * message templates with realistic frequencies and routed to the service that usually logs them.
 */
import type { Level } from '../entry.js';
import {
  type CompiledTemplate,
  compileTemplate,
  MESSAGE_TEMPLATES,
  type VariableContext,
} from './messages.js';
import { type Random, WeightedPicker } from './random.js';
import type { TrafficModel } from './traffic.js';

export interface AppRecord {
  level: Level;
  service: string;
  message: string;
}

export class ApplicationModel {
  private readonly templates: WeightedPicker<CompiledTemplate>;
  private readonly errors: WeightedPicker<CompiledTemplate>;
  private readonly services: WeightedPicker<string>;
  private readonly known: ReadonlySet<string>;
  readonly context: VariableContext;

  constructor(random: Random, traffic: TrafficModel, services: readonly string[]) {
    const compiled = MESSAGE_TEMPLATES.map(compileTemplate);
    this.templates = new WeightedPicker(
      compiled,
      MESSAGE_TEMPLATES.map((t) => t.weight),
    );
    const errorIndices = MESSAGE_TEMPLATES.flatMap((t, i) => (t.level === 'ERROR' ? [i] : []));
    this.errors = new WeightedPicker(
      errorIndices.map((i) => compiled[i] as CompiledTemplate),
      errorIndices.map((i) => MESSAGE_TEMPLATES[i]?.weight ?? 0),
    );
    // The first service listed is the busiest.
    this.services = WeightedPicker.zipf(services, 0.6);
    this.known = new Set(services);
    this.context = { random, clientIp: () => traffic.clientIp(), service: () => this.services.pick(random) };
  }

  /** A record of normal operation (mostly INFO and DEBUG, a little WARN, rare ERROR). */
  normal(): AppRecord {
    return this.from(this.templates.pick(this.context.random));
  }

  /** An ERROR record, from `service` when given (an error burst). */
  error(service?: string): AppRecord {
    return this.from(this.errors.pick(this.context.random), service);
  }

  /** A record with the given template, e.g. one never seen before. */
  from(template: CompiledTemplate, service?: string): AppRecord {
    const message = template.render(this.context);
    const home =
      template.service !== undefined && this.known.has(template.service) ? template.service : undefined;
    return { level: template.level, service: service ?? home ?? this.service(), message };
  }

  /** A random service name, Zipf-weighted toward the first listed. */
  service(): string {
    return this.services.pick(this.context.random);
  }
}
