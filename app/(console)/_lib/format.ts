const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
const dateOnly = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });
const timeOnly = new Intl.DateTimeFormat('en-GB', { timeStyle: 'medium', timeZone: 'UTC' });

/** Times are shown in UTC, labelled, so people in different plants read the same thing. */
export function formatDateTime(d: Date | null | undefined): string {
  return d ? `${dateTime.format(d)} UTC` : '—';
}
export function formatDate(d: Date | null | undefined): string {
  return d ? dateOnly.format(d) : '—';
}
export function formatTime(d: Date): string {
  return `${timeOnly.format(d)} UTC`;
}
