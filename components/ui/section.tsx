/** A titled white panel: the console's unit of layout. */
export function Section({ title, description, children, id }: { title?: string; description?: React.ReactNode; children: React.ReactNode; id?: string }) {
  return (
    <section id={id} aria-label={title} className="mb-6 rounded-lg border border-slate-200 bg-white shadow-sm">
      {title && (
        <header className="border-b border-slate-200 px-5 py-3">
          <h2 className="text-base font-semibold text-slate-900">{title}</h2>
          {description && <p className="mt-0.5 text-sm text-slate-500">{description}</p>}
        </header>
      )}
      <div className="px-5 py-4">{children}</div>
    </section>
  );
}
