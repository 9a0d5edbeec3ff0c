/** ISO-8601 durations (`PT1H30M`) as people read and type them: in hours. */

const ISO = /^PT(?:(\d+)H)?(?:(\d+)M)?$/;

/** Minutes in `duration`, or undefined when it is not an hours-and-minutes duration. */
export function minutesOf(duration: string): number | undefined {
  const m = ISO.exec(duration);
  return m && (m[1] !== undefined || m[2] !== undefined) ? Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) : undefined;
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** `PT6H30M` → "6 hours 30 minutes"; anything else as written. */
export function describeDuration(duration: string): string {
  const minutes = minutesOf(duration);
  if (minutes === undefined) return duration;
  const hours = Math.floor(minutes / 60);
  return [hours > 0 ? plural(hours, 'hour') : '', minutes % 60 > 0 ? plural(minutes % 60, 'minute') : ''].filter(Boolean).join(' ');
}

/** Hours typed by a person (`1`, `1.5`, `0,5`) as an ISO duration; undefined when it is not a positive number. */
export function hoursToDuration(text: string): string | undefined {
  const hours = Number(text.trim().replace(',', '.'));
  if (text.trim() === '' || !Number.isFinite(hours) || hours <= 0) return undefined;
  const minutes = Math.round(hours * 60);
  return `PT${Math.floor(minutes / 60) > 0 ? `${Math.floor(minutes / 60)}H` : ''}${minutes % 60 > 0 ? `${minutes % 60}M` : ''}`;
}
