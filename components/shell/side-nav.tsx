'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

export interface NavItem { href: string; label: string }

/** The tenant's sections; the caller passes only those the person may open. The first item is the overview. */
export function SideNav({ items }: { items: NavItem[] }) {
  const path = usePathname();
  return (
    <nav aria-label="Tenant" className="space-y-0.5">
      {items.map((item, i) => {
        const active = i === 0 ? path === item.href : path === item.href || path.startsWith(`${item.href}/`);
        return (
          <Link key={item.href} href={item.href} aria-current={active ? 'page' : undefined}
            className={`block rounded-md px-3 py-2 text-sm font-medium ${active ? 'bg-white text-brand-700 shadow-sm ring-1 ring-slate-200' : 'text-slate-600 hover:bg-white hover:text-slate-900'}`}>
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
