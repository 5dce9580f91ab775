'use client';

import { useEffect, useRef, useState } from 'react';
import { buttonClass } from '@/components/ui/styles';

export interface PanelLine { time: string | null; stream: 'stdout' | 'stderr'; container: string; text: string }
export interface PanelTail { lines: PanelLine[]; cursor: string | null; gap: boolean; note: string | null }

const FOLLOW_EVERY_MS = 2000;
// The panel keeps this many lines; older ones scroll out, as in a terminal.
const KEEP_LINES = 2000;

/**
 * The log tail; "Follow" polls `fetchAfter` with the last cursor every two seconds and appends what is new. A failed
 * poll is shown and the next one tries again; polls never overlap.
 */
export function LogPanel({ initial, fetchAfter }: { initial: PanelTail; fetchAfter: (since: string | null) => Promise<PanelTail | { error: string }> }) {
  const [lines, setLines] = useState(initial.lines);
  const [note, setNote] = useState<string | null>(initial.note);
  const [problem, setProblem] = useState<string | null>(null);
  const [following, setFollowing] = useState(false);
  const cursor = useRef(initial.cursor);
  const box = useRef<HTMLPreElement>(null);

  const followingNow = useRef(following);
  followingNow.current = following;

  // The page re-renders with a fresh tail (new samples, a job's progress): shown unless Follow is appending already.
  useEffect(() => {
    if (followingNow.current) return;
    setLines(initial.lines);
    setNote(initial.note);
    cursor.current = initial.cursor;
  }, [initial]);

  useEffect(() => {
    if (!following) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const answer = await fetchAfter(cursor.current);
        if (stopped) return;
        if ('error' in answer) {
          setProblem(answer.error);
        } else {
          setProblem(answer.gap ? 'Some lines were skipped: more arrived between two polls than one poll reads.' : null);
          setNote(answer.note);
          cursor.current = answer.cursor;
          if (answer.lines.length > 0) setLines((old) => [...old, ...answer.lines].slice(-KEEP_LINES));
        }
      } catch {
        if (!stopped) setProblem('The log could not be fetched (is the console reachable?); trying again.');
      }
      if (!stopped) timer = setTimeout(() => void poll(), FOLLOW_EVERY_MS);
    };
    timer = setTimeout(() => void poll(), 0);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [following, fetchAfter]);

  // New lines scroll into view while following, like `docker logs -f`.
  useEffect(() => {
    if (following && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines, following]);

  return (
    <div>
      <div className="mb-2 flex items-center justify-between gap-2">
        <p className="text-xs text-slate-500" role="status">{following ? 'Following: new lines appear every 2 s.' : `${lines.length} lines`}</p>
        <button type="button" className={buttonClass.secondary} aria-pressed={following} onClick={() => setFollowing((f) => !f)}>
          {following ? 'Stop following' : 'Follow'}
        </button>
      </div>
      {problem && <p className="mb-2 rounded bg-amber-50 px-3 py-1.5 text-xs text-amber-800">{problem}</p>}
      {lines.length === 0 ? (
        <p className="text-sm text-slate-500" data-testid="log-note">{note ?? 'No log lines yet.'}</p>
      ) : (
        <pre ref={box} aria-label="Log tail" tabIndex={0} data-testid="log-lines"
          className="max-h-96 overflow-auto rounded bg-slate-900 p-3 font-mono text-xs leading-5 text-slate-100">
          {lines.map((line, i) => (
            <div key={i} className={line.stream === 'stderr' ? 'text-amber-300' : undefined}>
              <span className="select-none text-slate-500">{line.time ? `${line.time.slice(11, 23)} ` : ''}</span>{line.text}
            </div>
          ))}
        </pre>
      )}
    </div>
  );
}
