// One line per event on stdout, the way `docker logs` shows a gateway's wrapper log.
export function log(level, component, message) {
  process.stdout.write(`${new Date().toISOString()} ${level.padEnd(5)} [${component}] ${message}\n`);
}

export const info = (component, message) => log('INFO', component, message);
export const warn = (component, message) => log('WARN', component, message);
export const error = (component, message) => log('ERROR', component, message);
