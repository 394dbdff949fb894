-- AlterTable
ALTER TABLE "LedgerEntry" ADD COLUMN     "traceKey" UUID;

-- CreateIndex
CREATE INDEX "LedgerEntry_traceKey_idx" ON "LedgerEntry"("traceKey");

-- CreateIndex
CREATE INDEX "LedgerEntry_sourceId_idx" ON "LedgerEntry"("sourceId");

-- CreateIndex
CREATE INDEX "LedgerEntry_targetId_idx" ON "LedgerEntry"("targetId");

-- CreateIndex
CREATE INDEX "SyncException_correlationId_idx" ON "SyncException"("correlationId");

