/** Hidden inputs naming what a form acts on; the API checks the caller's access to each of them again. */
export function Hidden({ values }: { values: Record<string, string> }) {
  return <>{Object.entries(values).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />)}</>;
}
