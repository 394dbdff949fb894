-- CreateTable
CREATE TABLE "ExceptionSighting" (
    "runId" UUID NOT NULL,
    "exceptionId" UUID NOT NULL,

    CONSTRAINT "ExceptionSighting_pkey" PRIMARY KEY ("runId","exceptionId")
);

-- CreateTable
CREATE TABLE "ExceptionSavedView" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ExceptionSavedView_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BulkOperation" (
    "id" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "actorId" UUID NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "total" INTEGER NOT NULL,
    "done" INTEGER NOT NULL DEFAULT 0,
    "succeeded" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "BulkOperation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BulkOperationItem" (
    "operationId" UUID NOT NULL,
    "exceptionId" UUID NOT NULL,
    "outcome" TEXT NOT NULL DEFAULT 'pending',
    "reason" TEXT,

    CONSTRAINT "BulkOperationItem_pkey" PRIMARY KEY ("operationId","exceptionId")
);

-- CreateIndex
CREATE INDEX "ExceptionSighting_exceptionId_idx" ON "ExceptionSighting"("exceptionId");

-- CreateIndex
CREATE UNIQUE INDEX "ExceptionSavedView_userId_name_key" ON "ExceptionSavedView"("userId", "name");

-- CreateIndex
CREATE INDEX "BulkOperation_actorId_createdAt_idx" ON "BulkOperation"("actorId", "createdAt");

-- CreateIndex
CREATE INDEX "BulkOperationItem_operationId_outcome_idx" ON "BulkOperationItem"("operationId", "outcome");

-- CreateIndex
CREATE INDEX "SyncException_lastSeenAt_id_idx" ON "SyncException"("lastSeenAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "SyncException_status_lastSeenAt_id_idx" ON "SyncException"("status", "lastSeenAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "SyncException_team_status_lastSeenAt_idx" ON "SyncException"("team", "status", "lastSeenAt" DESC);

-- CreateIndex
CREATE INDEX "SyncException_assigneeId_status_idx" ON "SyncException"("assigneeId", "status");

-- CreateIndex
CREATE INDEX "SyncException_code_status_idx" ON "SyncException"("code", "status");

-- CreateIndex
CREATE INDEX "SyncException_legalEntityId_status_idx" ON "SyncException"("legalEntityId", "status");

-- CreateIndex
CREATE INDEX "SyncException_dueAt_idx" ON "SyncException"("dueAt");

-- AddForeignKey
ALTER TABLE "ExceptionSighting" ADD CONSTRAINT "ExceptionSighting_exceptionId_fkey" FOREIGN KEY ("exceptionId") REFERENCES "SyncException"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BulkOperationItem" ADD CONSTRAINT "BulkOperationItem_operationId_fkey" FOREIGN KEY ("operationId") REFERENCES "BulkOperation"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Free text over message and external ids: trigram index, so a substring search needs no scan.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "SyncException_search_trgm_idx" ON "SyncException"
  USING gin ((message || ' ' || "externalIds"::text) gin_trgm_ops);
