import { withAuth } from 'next-auth/middleware';

// Pages need a session; the API answers for itself (401 JSON), and sign-in and invitation pages are open.
export default withAuth({ pages: { signIn: '/signin' } });

export const config = {
  matcher: ['/((?!api/|_next/|signin|invite/|favicon.ico|docs/api).*)'],
};
