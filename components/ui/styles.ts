// Shared class names, so every button and input in the console looks the same.
const buttonBase = 'inline-flex items-center justify-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium transition-colors disabled:cursor-not-allowed disabled:opacity-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500';

export const buttonClass = {
  primary: `${buttonBase} bg-brand-600 text-white shadow-sm hover:bg-brand-700`,
  secondary: `${buttonBase} border border-slate-300 bg-white text-slate-700 shadow-sm hover:bg-slate-50`,
  danger: `${buttonBase} bg-red-600 text-white shadow-sm hover:bg-red-700`,
  ghostDanger: `${buttonBase} text-red-700 hover:bg-red-50`,
} as const;
export type ButtonVariant = keyof typeof buttonClass;

export const inputClass = 'mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-sm placeholder:text-slate-400 focus:border-brand-500 focus:outline-none focus:ring-1 focus:ring-brand-500 aria-[invalid=true]:border-red-500';

export const linkClass = 'font-medium text-brand-600 hover:text-brand-700 hover:underline';
