'use client';

import { useState } from 'react';
import { TextField } from '@/components/forms/field';
import { SLUG_RULE, slugify } from '@/lib/access/slug';

/** Name and slug; the slug follows the name until the person edits it themselves. */
export function NameAndSlugFields({ defaultName = '', defaultSlug = '', nameHint }: { defaultName?: string; defaultSlug?: string; nameHint?: string }) {
  const [name, setName] = useState(defaultName);
  const [slug, setSlug] = useState(defaultSlug);
  const [slugTouched, setSlugTouched] = useState(defaultSlug !== '');
  return (
    <>
      <TextField name="name" label="Name" hint={nameHint} value={name} required maxLength={100}
        onChange={(e) => { setName(e.target.value); if (!slugTouched) setSlug(slugify(e.target.value)); }} />
      <TextField name="slug" label="Slug" hint={`Used in addresses and container names: ${SLUG_RULE}.`} value={slug} required
        onChange={(e) => { setSlug(e.target.value); setSlugTouched(true); }} />
    </>
  );
}
