/** Reading a JDBC driver jar: the driver classes it registers through the java.sql.Driver service file. */
import { DRIVER_SERVICE_FILE as SERVICE_FILE, parseDriverServiceFile } from '../artifacts/descriptors';
import { foundFile, withArchive, type LocatedFile } from './archive';
import { quoteUntrusted, type ProblemLog } from './problems';
import type { JdbcJarFile } from './types';

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
