import { linkClass } from '@/components/ui/styles';

export interface SourceReference { repository?: string; commit?: string; path?: string; buildUrl?: string; text?: string }

/** Where a version came from, in one short line: repository@commit:path, a build link, free text. */
export function SourceText({ source }: { source: SourceReference }) {
  const git = source.repository ? `${source.repository}${source.commit ? `@${source.commit.slice(0, 12)}` : ''}${source.path ? `:${source.path}` : ''}` : null;
  // Only web links are made clickable: the value came from an uploader.
  const build = source.buildUrl && /^https?:\/\//i.test(source.buildUrl) ? source.buildUrl : null;
  if (!git && !source.buildUrl && !source.text) return <span className="text-slate-400">—</span>;
  return (
    <span className="block min-w-48 max-w-xs space-y-0.5 text-xs">
      {git && <span className="block break-all font-mono">{git}</span>}
      {build ? <a className={linkClass} href={build} rel="noreferrer noopener" target="_blank">CI build</a> : source.buildUrl && <span className="block break-all">{source.buildUrl}</span>}
      {source.text && <span className="block">{source.text}</span>}
    </span>
  );
}
