/**
 * Timestamp text for generated lines. Many lines share a second, so the formatted second is cached
 * and only the milliseconds change: formatting a Date per line would dominate generation time.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Common Log Format time, always UTC: `10/Oct/2000:13:55:36 +0000` (second resolution). */
export function createClfFormatter(): (epochMs: number) => string {
  let cachedSecond = Number.NaN;
  let cached = '';
  return (epochMs) => {
    const second = Math.floor(epochMs / 1000);
    if (second !== cachedSecond) {
      const d = new Date(second * 1000);
      cached = `${pad2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} +0000`;
      cachedSecond = second;
    }
    return cached;
  };
}

/** ISO 8601 UTC with milliseconds: `2024-01-15T10:00:00.123Z`. */
export function createIsoFormatter(): (epochMs: number) => string {
  let cachedSecond = Number.NaN;
  let cached = '';
  return (epochMs) => {
    const second = Math.floor(epochMs / 1000);
    if (second !== cachedSecond) {
      cached = new Date(second * 1000).toISOString().slice(0, 20); // "2024-01-15T10:00:00."
      cachedSecond = second;
    }
    const ms = epochMs - second * 1000;
    return `${cached}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
  };
}
