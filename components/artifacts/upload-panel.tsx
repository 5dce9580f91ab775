'use client';

import { useRouter } from 'next/navigation';
import { useId, useRef, useState } from 'react';
import { ARTIFACT_KINDS, ARTIFACT_SIZE_LIMITS, type ArtifactKind } from '@/lib/artifacts/kinds';
import { formatBytes } from '@/lib/format/bytes';
import { buttonClass, inputClass } from '@/components/ui/styles';
import { KIND_LABELS } from './labels';
import { guessKind, nameFromFilename } from './guess';

export interface UploadSite { id: string; name: string }

type Phase = { step: 'idle' } | { step: 'sending'; percent: number } | { step: 'checking' } | { step: 'error'; message: string } | { step: 'cancelled' };

// Query parameters of the upload route, in the order the form shows them.
const SOURCE_FIELDS = [
  { param: 'sourceRepository', label: 'Repository', placeholder: 'https://git.example.com/plant/hmi.git' },
  { param: 'sourceCommit', label: 'Commit', placeholder: '3f9c2ab' },
  { param: 'sourcePath', label: 'Path in the repository', placeholder: 'projects/hmi' },
  { param: 'sourceBuildUrl', label: 'Build URL', placeholder: 'https://ci.example.com/builds/812' },
] as const;

/** The API's error answer in a sentence: its message, then what it said about each field. */
function apiMessage(xhr: XMLHttpRequest): string {
  try {
    const { error } = JSON.parse(xhr.responseText) as { error?: { message?: string; fieldErrors?: Record<string, string[]> } };
    const fields = Object.entries(error?.fieldErrors ?? {}).map(([field, msgs]) => `${field}: ${msgs.join(' ')}`);
    if (error?.message) return [error.message, ...fields].join(' ');
  } catch { /* not JSON: a proxy or the network answered */ }
  return `The upload failed (HTTP ${xhr.status}). Try again; if it keeps failing, tell your platform operator.`;
}

/**
 * Sends the chosen file as the raw body of PUT /api/v1/tenants/{id}/uploads with XMLHttpRequest, which (unlike
 * fetch) reports upload progress, and can be cancelled. On success it opens the new version.
 */
export function UploadPanel({ tenantId, tenantSlug, sites, tenantLibrary }: {
  tenantId: string; tenantSlug: string; sites: UploadSite[]; tenantLibrary: boolean;
}) {
  const router = useRouter();
  const id = useId();
  const xhr = useRef<XMLHttpRequest | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<ArtifactKind>('project');
  const [phase, setPhase] = useState<Phase>({ step: 'idle' });
  const busy = phase.step === 'sending' || phase.step === 'checking';

  function choose(chosen: File | null) {
    setFile(chosen);
    setPhase({ step: 'idle' });
    if (!chosen) return;
    setName(nameFromFilename(chosen.name));
    setKind(guessKind(chosen.name));
  }

  function submit(form: HTMLFormElement) {
    if (!file) return setPhase({ step: 'error', message: 'Choose a file to upload.' });
    if (file.size > ARTIFACT_SIZE_LIMITS[kind]) {
      return setPhase({ step: 'error', message: `A ${KIND_LABELS[kind].toLowerCase()} may be at most ${formatBytes(ARTIFACT_SIZE_LIMITS[kind])}; this file is ${formatBytes(file.size)}.` });
    }
    const data = new FormData(form);
    const query = new URLSearchParams({ name: name.trim(), kind, filename: file.name });
    for (const param of ['siteId', 'notes', 'source', ...SOURCE_FIELDS.map((f) => f.param)]) {
      const value = String(data.get(param) ?? '').trim();
      if (value) query.set(param, value);
    }
    const request = new XMLHttpRequest();
    xhr.current = request;
    request.open('PUT', `/api/v1/tenants/${encodeURIComponent(tenantId)}/uploads?${query}`);
    request.setRequestHeader('content-type', file.type || 'application/octet-stream');
    request.upload.onprogress = (e) => {
      if (e.lengthComputable) setPhase(e.loaded >= e.total ? { step: 'checking' } : { step: 'sending', percent: Math.floor((e.loaded / e.total) * 100) });
    };
    request.upload.onload = () => setPhase({ step: 'checking' });
    request.onload = () => {
      xhr.current = null;
      if (request.status !== 200 && request.status !== 201) return setPhase({ step: 'error', message: apiMessage(request) });
      const { artifact, version } = JSON.parse(request.responseText) as { artifact: { id: string }; version: { number: number } };
      router.push(`/t/${tenantSlug}/artifacts/${artifact.id}?version=${version.number}`);
    };
    request.onerror = () => {
      xhr.current = null;
      setPhase({ step: 'error', message: 'The connection broke during the upload; nothing was stored. Check your network and try again.' });
    };
    request.onabort = () => {
      xhr.current = null;
      setPhase({ step: 'cancelled' });
    };
    setPhase({ step: 'sending', percent: 0 });
    request.send(file);
  }

  const percent = phase.step === 'sending' ? phase.percent : 100;
  return (
    <form aria-label="Upload a file" className="grid gap-4 sm:grid-cols-2" noValidate
      onSubmit={(e) => { e.preventDefault(); submit(e.currentTarget); }}>
      <div className="sm:col-span-2">
        <label htmlFor={`${id}-file`} className="block text-sm font-medium text-slate-700">File</label>
        <input id={`${id}-file`} type="file" disabled={busy} className="mt-1 block w-full text-sm"
          onChange={(e) => choose(e.target.files?.[0] ?? null)} />
        {file && <p className="mt-1 text-xs text-slate-500">{file.name}, {formatBytes(file.size)}</p>}
      </div>
      <div>
        <label htmlFor={`${id}-name`} className="block text-sm font-medium text-slate-700">Name</label>
        <input id={`${id}-name`} className={inputClass} value={name} maxLength={100} required disabled={busy} onChange={(e) => setName(e.target.value)} />
        <p className="mt-1 text-xs text-slate-500">An existing name adds a version to that artifact.</p>
      </div>
      <div>
        <label htmlFor={`${id}-kind`} className="block text-sm font-medium text-slate-700">Kind</label>
        <select id={`${id}-kind`} className={inputClass} value={kind} disabled={busy} onChange={(e) => setKind(e.target.value as ArtifactKind)}>
          {ARTIFACT_KINDS.map((k) => <option key={k} value={k}>{KIND_LABELS[k]}</option>)}
        </select>
      </div>
      <div>
        <label htmlFor={`${id}-site`} className="block text-sm font-medium text-slate-700">Site</label>
        <select id={`${id}-site`} name="siteId" className={inputClass} disabled={busy} defaultValue={tenantLibrary ? '' : sites[0]?.id}>
          {tenantLibrary && <option value="">None: the tenant&apos;s shared library</option>}
          {sites.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
        </select>
      </div>
      <div>
        <label htmlFor={`${id}-notes`} className="block text-sm font-medium text-slate-700">Notes</label>
        <input id={`${id}-notes`} name="notes" className={inputClass} maxLength={2000} disabled={busy} placeholder="What changed in this version" />
      </div>
      <details className="sm:col-span-2">
        <summary className="cursor-pointer text-sm font-medium text-slate-700">Source: where this file came from (optional)</summary>
        <div className="mt-3 grid gap-4 sm:grid-cols-2">
          {SOURCE_FIELDS.map((f) => (
            <div key={f.param}>
              <label htmlFor={`${id}-${f.param}`} className="block text-sm font-medium text-slate-700">{f.label}</label>
              <input id={`${id}-${f.param}`} name={f.param} className={inputClass} disabled={busy} placeholder={f.placeholder} />
            </div>
          ))}
          <div className="sm:col-span-2">
            <label htmlFor={`${id}-source`} className="block text-sm font-medium text-slate-700">Other source note</label>
            <input id={`${id}-source`} name="source" className={inputClass} maxLength={1000} disabled={busy} placeholder="Exported from the staging gateway by hand" />
          </div>
        </div>
      </details>
      <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
        <button type="submit" className={buttonClass.primary} disabled={busy}>Upload</button>
        {/* Once every byte is sent the server may already be storing it: cancelling then would promise too much. */}
        {phase.step === 'sending' && <button type="button" className={buttonClass.secondary} onClick={() => xhr.current?.abort()}>Cancel</button>}
      </div>
      {busy && (
        <div className="sm:col-span-2">
          <div role="progressbar" aria-label="Upload progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}
            className="h-2 overflow-hidden rounded-full bg-slate-200">
            <div className="h-full bg-brand-600 transition-[width]" style={{ width: `${percent}%` }} />
          </div>
          <p className="mt-1 text-xs text-slate-600" aria-live="polite">
            {phase.step === 'sending' ? `Sending: ${percent} %` : 'Sent. Checking the file and storing it…'}
          </p>
        </div>
      )}
      {phase.step === 'error' && <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 sm:col-span-2">{phase.message}</p>}
      {phase.step === 'cancelled' && <p role="status" className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700 sm:col-span-2">Upload cancelled; nothing was stored.</p>}
    </form>
  );
}
