// Normalising what users pass to the public methods, once, at the edge: whatever arrives (null,
// a number for a name, an object without a prototype), what goes further is of the expected type.

/** `String(value)`, or '' when the value refuses to become a string (`Object.create(null)`, a throwing toString). */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return String(value);
  } catch {
    return '';
  }
}

/** The object itself when it is a non-null object (own keys are read from it), else null. */
export function asFields(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' ? value as Record<string, unknown> : null;
}

/** A finite time in milliseconds since the epoch, or undefined (then the clock is read). */
export function asTime(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
