import { Section } from '@/components/ui/section';
import { buttonClass } from '@/components/ui/styles';
import { serverCaller } from '@/server/caller';

/** The Compose file rendered from the same plan the runtime provisions: to read here, or download and run by hand. */
export async function ComposeSection({ environmentRef }: { environmentRef: { tenantId: string; siteId: string; environment: string } }) {
  const { fileName, yaml } = await (await serverCaller()).environments.compose(environmentRef);
  return (
    <Section title="Compose file" description="The same gateway as a Docker Compose file. Secrets are referenced as files, never written into it.">
      <a className={buttonClass.secondary} download={fileName} href={`data:application/yaml;charset=utf-8,${encodeURIComponent(yaml)}`}>Download {fileName}</a>
      <details className="mt-3">
        <summary className="cursor-pointer text-sm text-slate-600">View</summary>
        <pre className="mt-2 max-h-96 overflow-auto rounded bg-slate-900 p-3 font-mono text-xs text-slate-100">{yaml}</pre>
      </details>
    </Section>
  );
}
