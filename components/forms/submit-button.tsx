'use client';

import { buttonClass, type ButtonVariant } from '@/components/ui/styles';
import { useFormContext } from './action-form';

export function SubmitButton({ children, variant = 'primary', disabled = false }: { children: React.ReactNode; variant?: ButtonVariant; disabled?: boolean }) {
  const { pending } = useFormContext();
  return (
    <button type="submit" disabled={pending || disabled} aria-busy={pending} className={buttonClass[variant]}>
      {children}
    </button>
  );
}
