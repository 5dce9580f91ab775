// Container arguments the official entrypoint understands; the rest is logged and ignored.
const WITH_VALUE = new Set(['-n', '-m', '-r', '-a', '-h', '-s']);

/**
 * @param {string[]} argv arguments after the script name
 * @returns {{ gatewayName?: string, maxHeapMb?: number, restorePath?: string, problems: string[],
 *   ignored: string[], passThrough: string[] }}
 */
export function parseArguments(argv) {
  const parsed = { problems: [], ignored: [], passThrough: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      parsed.passThrough = argv.slice(i + 1);
      break;
    }
    if (!WITH_VALUE.has(arg)) {
      parsed.ignored.push(arg);
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || value === '--') {
      parsed.problems.push(`${arg} needs a value; it was ignored`);
      continue;
    }
    i++;
    applyOption(parsed, arg, value);
  }
  return parsed;
}

function applyOption(parsed, option, value) {
  if (option === '-n') parsed.gatewayName = value;
  else if (option === '-r') parsed.restorePath = value;
  else if (option === '-m') {
    const megabytes = Number(value);
    if (Number.isInteger(megabytes) && megabytes > 0) parsed.maxHeapMb = megabytes;
    else parsed.problems.push(`-m ${value} is not a whole number of megabytes; the default heap is used`);
  } else parsed.ignored.push(option, value); // -a/-h/-s: public address settings the simulator has no use for
}
