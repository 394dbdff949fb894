-- AlterTable
ALTER TABLE "LedgerEntry" ADD COLUMN     "traceKey" UUID;

-- CreateIndex
CREATE INDEX "LedgerEntry_traceKey_idx" ON "LedgerEntry"("traceKey");

-- CreateIndex
CREATE INDEX "LedgerEntry_targetSystem_targetType_targetId_idx" ON "LedgerEntry"("targetSystem", "targetType", "targetId");

