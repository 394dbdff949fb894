-- Old per-attempt rows only served the last minute's limit; the counters start afresh.
DELETE FROM "SignInFailure";

-- DropIndex
DROP INDEX "SignInFailure_email_occurredAt_idx";

-- DropIndex
DROP INDEX "SignInFailure_ip_occurredAt_idx";

-- AlterTable
ALTER TABLE "SignInFailure" DROP CONSTRAINT "SignInFailure_pkey",
DROP COLUMN "id",
DROP COLUMN "occurredAt",
ADD COLUMN     "failures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "key" TEXT NOT NULL,
ADD COLUMN     "throttled" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "windowStartedAt" TIMESTAMPTZ(3) NOT NULL,
ALTER COLUMN "email" DROP NOT NULL,
ALTER COLUMN "ip" DROP NOT NULL,
ADD CONSTRAINT "SignInFailure_pkey" PRIMARY KEY ("key");

-- CreateIndex
CREATE INDEX "SignInFailure_windowStartedAt_idx" ON "SignInFailure"("windowStartedAt");

