import Link from 'next/link';
import { linkClass } from './styles';

/** The same 404 for "does not exist" and "not yours": the console never confirms what someone cannot see. */
export function NotFoundMessage({ backHref = '/', backLabel = 'Go to your console' }: { backHref?: string; backLabel?: string }) {
  return (
    <div className="mx-auto mt-16 max-w-lg px-4 text-center">
      <p className="text-sm font-semibold text-brand-600">404</p>
      <h1 className="mt-2 text-2xl font-semibold">Nothing here for you</h1>
      <p className="mt-2 text-slate-600">
        This page does not exist, or it belongs to a tenant or site you are not a member of. If you expected access,
        ask that tenant&apos;s admin to invite you.
      </p>
      <p className="mt-6"><Link href={backHref} className={linkClass}>{backLabel}</Link></p>
    </div>
  );
}
