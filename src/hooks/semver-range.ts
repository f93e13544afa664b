// A small semver range matcher, enough for the ranges module hooks declare: comparators
// (`>=4.0.0`, `<5`, `>`, `<=`, `=`), caret and tilde (`^3.20.0`, `~2.18`), x-ranges (`4.x`, `4`,
// `*`), spaces for "and", `||` for "or". Pre-release tags are ignored (`5.0.0-beta.1` counts as
// 5.0.0): a hook decides by release line, not by pre-release.

type Version = readonly [number, number, number];
type Comparator = (version: Version) => boolean;

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** `1.2.3` (a leading `v`, pre-release and build ignored) → [1, 2, 3]; null when not a version. */
export function parseVersion(text: string): Version | null {
  const match = /^\s*v?(\d+)\.(\d+)\.(\d+)/.exec(text);
  return match === null ? null : [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** A partial version (`4`, `4.x`, `4.17`, `*`): its numbers, and how many of them are given. */
function parsePartial(text: string): { parts: [number, number, number]; given: number } | null {
  const pieces = text.replace(/^v/, '').split('-')[0]!.split('.');
  const parts: [number, number, number] = [0, 0, 0];
  let given = 0;
  for (let i = 0; i < Math.min(pieces.length, 3); i++) {
    const piece = pieces[i]!;
    if (piece === 'x' || piece === 'X' || piece === '*') break;
    if (!/^\d+$/.test(piece)) return null;
    parts[i] = Number(piece);
    given = i + 1;
  }
  return { parts, given };
}

/** The first version above every version matching a partial with `given` numbers. */
function bump(parts: readonly number[], index: number): Version {
  const next: [number, number, number] = [parts[0]!, parts[1]!, parts[2]!];
  next[index]! += 1;
  for (let i = index + 1; i < 3; i++) next[i] = 0;
  return next;
}

function between(low: Version, high: Version | null): Comparator {
  return (v) => compare(v, low) >= 0 && (high === null || compare(v, high) < 0);
}

function comparatorOf(token: string): Comparator | null {
  const match = /^(>=|<=|>|<|=|\^|~)?(.*)$/.exec(token)!;
  const operator = match[1] ?? '';
  const partial = parsePartial(match[2]!);
  if (partial === null) return null;
  const { parts, given } = partial;
  const base: Version = parts;
  switch (operator) {
    case '>=': return (v) => compare(v, base) >= 0;
    case '<': return (v) => compare(v, base) < 0;
    case '>': return given === 0 ? () => false : (v) => compare(v, given === 3 ? base : bump(parts, given - 1)) >= (given === 3 ? 1 : 0);
    case '<=': return given === 3 ? (v) => compare(v, base) <= 0 : given === 0 ? () => true : (v) => compare(v, bump(parts, given - 1)) < 0;
    case '^': {
      // The left-most non-zero number given may not change.
      const index = parts[0] !== 0 || given <= 1 ? 0 : parts[1] !== 0 || given === 2 ? 1 : 2;
      return given === 0 ? () => true : between(base, bump(parts, Math.min(index, given - 1)));
    }
    case '~': return given === 0 ? () => true : between(base, bump(parts, given >= 2 ? 1 : 0));
    default: return given === 0 ? () => true : between(base, bump(parts, given - 1));
  }
}

/** Whether `version` satisfies `range`; a range that cannot be parsed matches nothing. */
export function satisfies(version: string, range: string): boolean {
  const parsed = parseVersion(version);
  if (parsed === null) return false;
  return range.split('||').some((set) => {
    // `>= 4` is `>=4`: glue operators to their version before splitting on spaces.
    const tokens = set.trim().replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1').split(/\s+/).filter((t) => t !== '');
    if (tokens.length === 0) return true;
    return tokens.every((token) => comparatorOf(token)?.(parsed) ?? false);
  });
}
