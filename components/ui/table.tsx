// A plain data table; columns are given as headers, rows as children of <tbody>.
export function Table({ headers, children, label }: { headers: string[]; children: React.ReactNode; label: string }) {
  return (
    <div className="-mx-5 -my-4 overflow-x-auto">
      <table aria-label={label} className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50">
          <tr>
            {headers.map((h, i) => (
              <th key={`${h}-${i}`} scope="col" className="px-5 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

export function Td({ children, className = '' }: { children?: React.ReactNode; className?: string }) {
  return <td className={`px-5 py-3 align-middle text-slate-700 ${className}`}>{children}</td>;
}
