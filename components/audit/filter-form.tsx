import { buttonClass, inputClass } from '@/components/ui/styles';

type Values = Partial<Record<'actor' | 'action' | 'resourceType' | 'result' | 'from' | 'to', string>>;

function Input({ name, label, values, type = 'text', placeholder }: { name: keyof Values; label: string; values: Values; type?: string; placeholder?: string }) {
  return (
    <label className="block text-sm font-medium text-slate-700">{label}
      <input name={name} type={type} defaultValue={values[name] ?? ''} placeholder={placeholder} className={inputClass} />
    </label>
  );
}

/** A plain GET form: the filters go into the address, which works without JavaScript and can be shared. */
export function AuditFilterForm({ values, clearHref }: { values: Values; clearHref: string }) {
  return (
    <form method="get" aria-label="Filter the audit log" className="grid gap-3 sm:grid-cols-3 lg:grid-cols-6 lg:items-end">
      <Input name="actor" label="Actor" values={values} placeholder="email or token" />
      <Input name="action" label="Action" values={values} placeholder="site.create" />
      <Input name="resourceType" label="Resource type" values={values} placeholder="site" />
      <label className="block text-sm font-medium text-slate-700">Result
        <select name="result" defaultValue={values.result ?? ''} className={inputClass}>
          <option value="">Any</option><option value="success">Success</option><option value="denied">Denied</option><option value="error">Error</option>
        </select>
      </label>
      <Input name="from" label="From" type="date" values={values} />
      <Input name="to" label="To" type="date" values={values} />
      <div className="flex gap-2 sm:col-span-3 lg:col-span-6">
        <button type="submit" className={buttonClass.primary}>Apply filters</button>
        <a href={clearHref} className={buttonClass.secondary}>Clear</a>
      </div>
    </form>
  );
}
