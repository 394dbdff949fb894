import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

// The schema's datasource reads DATABASE_URL even for `prisma generate`; without a value the CLI
// falls back to downloading a native engine, which this project never needs (README, "Database").
process.env.DATABASE_URL ??= 'postgresql://localhost/generate-only';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  async adapter() {
    return new PrismaPg({ connectionString: process.env.DATABASE_URL });
  },
});
