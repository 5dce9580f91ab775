import { NotFoundMessage } from '@/components/ui/not-found-message';

// A missing site, role or page inside a tenant the person belongs to: the tenant's navigation stays.
export default function NotFound() {
  return <NotFoundMessage backLabel="Back to the console" />;
}
