import { readFileSync } from 'node:fs';
import type pg from 'pg';

/** Linux reports process CPU time in clock ticks of 10 ms (USER_HZ = 100). */
const MS_PER_TICK = 10;

/**
 * CPU milliseconds used so far by the PostgreSQL backends of every connection named `applicationName`, read
 * from /proc; undefined when PostgreSQL runs on another machine (or /proc is not readable), so the bench can
 * print "n/a" rather than a wrong figure.
 */
export async function postgresBackendCpuMs(
  client: pg.Client,
  applicationName: string,
): Promise<number | undefined> {
  const { rows } = await client.query<{ pid: number }>(
    'select pid from pg_stat_activity where application_name = $1',
    [applicationName],
  );
  let total = 0;
  for (const { pid } of rows) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return undefined;
    }
    // Another machine's backend can share a pid with a local process: count only PostgreSQL's own.
    if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== 'postgres') {
      return undefined;
    }
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th of them.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total += (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
  }
  return total;
}
