/** ISO-8601 durations as ARM uses them (`PT8H`, `PT6H30M`, `P1D`): parsed to seconds. */

const DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/** The length of an ISO-8601 day/time duration in seconds, or undefined when the text is not one. */
export function parseIsoDuration(text: string): number | undefined {
  const m = DURATION.exec(text);
  // `P`, `PT` and a trailing `T` match the pattern but are not durations.
  if (!m || text.length < 3 || /T$/i.test(text)) return undefined;
  const [, d = '0', h = '0', min = '0', s = '0'] = m;
  return Number(d) * 86_400 + Number(h) * 3_600 + Number(min) * 60 + Number(s);
}
