/** Reading a JDBC driver jar: the driver classes it registers through the java.sql.Driver service file. */
import { foundFile, withArchive, type LocatedFile } from './archive';
import { quoteUntrusted, type ProblemLog } from './problems';
import type { JdbcJarFile } from './types';

const SERVICE_FILE = 'META-INF/services/java.sql.Driver';
const JAVA_CLASS_NAME = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

/** Class names from a service file: `#` starts a comment, blank lines are ignored, duplicates dropped. */
export function parseDriverServiceFile(text: string): { classes: string[]; invalid: string[] } {
  const classes: string[] = [];
  const invalid: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const entry = (line.split('#')[0] ?? '').trim();
    if (entry === '') continue;
    if (!JAVA_CLASS_NAME.test(entry)) invalid.push(entry);
    else if (!classes.includes(entry)) classes.push(entry);
  }
  return { classes, invalid };
}

export async function readJdbcJar(file: LocatedFile, log: ProblemLog): Promise<JdbcJarFile | undefined> {
  return withArchive(file, log, async (zip) => {
    let driverClasses: string[] = [];
    if (zip.has(SERVICE_FILE)) {
      const parsed = parseDriverServiceFile((await zip.read(SERVICE_FILE, { maxBytes: 64 * 1024 })).toString('utf8'));
      driverClasses = parsed.classes;
      for (const line of parsed.invalid) {
        log.warning(file.path, 'jdbc-bad-service-line', `${SERVICE_FILE} lists ${quoteUntrusted(line)}, not a Java class name`);
      }
    }
    if (driverClasses.length === 0) {
      log.warning(
        file.path,
        'jdbc-no-driver',
        `declares no JDBC driver (no class in ${SERVICE_FILE}); fine for a helper jar, otherwise use the vendor's driver jar`,
      );
    }
    return { ...foundFile(file), driverClasses };
  });
}
