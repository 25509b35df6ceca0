/** The value of a `datetime-local` input as epoch milliseconds (local time), or undefined when empty. */
export function epochFromLocalInput(value: string): number | undefined {
  if (value.trim() === '') return undefined;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? undefined : time;
}
