import { levelRank, type ParsedFields } from '../../entry.js';
import type { CleanRules } from '../../uploads/options.js';

export interface CompiledRule {
  /** How the report names the rule, e.g. `minLevel=WARN`. */
  label: string;
  drops(fields: ParsedFields): boolean;
}

/** The upload's clean rules as predicates, in a fixed order; the first rule that drops an entry is credited. */
export function compileCleanRules(rules: CleanRules | undefined): CompiledRule[] {
  if (!rules) return [];
  const out: CompiledRule[] = [];
  if (rules.minLevel) {
    const min = levelRank(rules.minLevel);
    out.push({
      label: `minLevel=${rules.minLevel}`,
      drops: (f) => f.level !== undefined && levelRank(f.level) < min,
    });
  }
  if (rules.dropServices?.length) {
    const services = new Set(rules.dropServices);
    out.push({
      label: `dropServices=${rules.dropServices.join(',')}`,
      drops: (f) => f.service !== undefined && services.has(f.service),
    });
  }
  for (const pattern of rules.dropPatterns ?? []) {
    const re = new RegExp(pattern);
    out.push({ label: `dropPattern=${pattern}`, drops: (f) => re.test(f.message) });
  }
  return out;
}

/** Index of the first rule that drops the entry, or -1. */
export function firstDroppingRule(rules: readonly CompiledRule[], fields: ParsedFields): number {
  for (let i = 0; i < rules.length; i++) if (rules[i]?.drops(fields)) return i;
  return -1;
}
