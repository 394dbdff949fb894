-- AlterTable
ALTER TABLE "OwnershipRule" ADD COLUMN     "note" TEXT;

-- CreateTable
CREATE TABLE "OwnershipRuleDraft" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "baseVersion" INTEGER NOT NULL,
    "rules" JSONB NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "OwnershipRuleDraft_pkey" PRIMARY KEY ("id")
);

