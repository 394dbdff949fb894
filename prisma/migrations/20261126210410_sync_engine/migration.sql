-- CreateEnum
CREATE TYPE "SystemName" AS ENUM ('salesforce', 'netsuite', 'stripe');

-- CreateEnum
CREATE TYPE "Routine" AS ENUM ('project_activation', 'billing_eligibility', 'invoice_status', 'change_orders');

-- CreateEnum
CREATE TYPE "Team" AS ENUM ('finance', 'operations', 'integration');

-- CreateEnum
CREATE TYPE "ExceptionStatus" AS ENUM ('open', 'assigned', 'in_progress', 'resolved', 'ignored');

-- CreateEnum
CREATE TYPE "ExceptionKind" AS ENUM ('business', 'technical');

-- CreateEnum
CREATE TYPE "Priority" AS ENUM ('low', 'normal', 'high', 'urgent');

-- CreateTable
CREATE TABLE "Connection" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "system" "SystemName" NOT NULL,
    "baseUrl" TEXT NOT NULL,
    "credentials" TEXT NOT NULL,
    "legalEntityIds" TEXT[],
    "requestLimits" JSONB,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Connection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoutineSchedule" (
    "routine" "Routine" NOT NULL,
    "cron" TEXT NOT NULL,
    "batchSize" INTEGER NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RoutineSchedule_pkey" PRIMARY KEY ("routine")
);

-- CreateTable
CREATE TABLE "Watermark" (
    "routine" "Routine" NOT NULL,
    "connectionId" UUID NOT NULL,
    "legalEntityId" TEXT NOT NULL,
    "cursor" TEXT,
    "sourceTime" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Watermark_pkey" PRIMARY KEY ("routine","connectionId","legalEntityId")
);

-- CreateTable
CREATE TABLE "ExternalRef" (
    "id" BIGSERIAL NOT NULL,
    "canonicalType" TEXT NOT NULL,
    "canonicalId" UUID NOT NULL,
    "system" "SystemName" NOT NULL,
    "objectType" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ExternalRef_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CanonicalRecord" (
    "id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "legalEntityId" TEXT NOT NULL,
    "schemaVersion" INTEGER NOT NULL,
    "contentHash" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CanonicalRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FieldMapping" (
    "id" BIGSERIAL NOT NULL,
    "connectionId" UUID NOT NULL,
    "legalEntityId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "sourceValue" TEXT NOT NULL,
    "targetValue" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "FieldMapping_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OwnershipRuleVersion" (
    "version" INTEGER NOT NULL,
    "note" TEXT NOT NULL,
    "createdBy" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OwnershipRuleVersion_pkey" PRIMARY KEY ("version")
);

-- CreateTable
CREATE TABLE "OwnershipRule" (
    "id" BIGSERIAL NOT NULL,
    "version" INTEGER NOT NULL,
    "objectType" TEXT NOT NULL,
    "attribute" TEXT NOT NULL,
    "owner" "SystemName" NOT NULL,
    "team" "Team" NOT NULL,

    CONSTRAINT "OwnershipRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncRun" (
    "id" UUID NOT NULL,
    "routine" "Routine" NOT NULL,
    "connectionId" UUID NOT NULL,
    "legalEntityId" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),
    "recordsRead" INTEGER NOT NULL DEFAULT 0,
    "delivered" INTEGER NOT NULL DEFAULT 0,
    "noop" INTEGER NOT NULL DEFAULT 0,
    "exceptions" INTEGER NOT NULL DEFAULT 0,
    "lagSeconds" INTEGER,
    "error" TEXT,

    CONSTRAINT "SyncRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerEntry" (
    "id" BIGSERIAL NOT NULL,
    "runId" UUID,
    "routine" "Routine" NOT NULL,
    "correlationId" UUID NOT NULL,
    "sourceSystem" "SystemName" NOT NULL,
    "sourceType" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "targetSystem" "SystemName",
    "targetType" TEXT,
    "targetId" TEXT,
    "canonicalId" UUID,
    "step" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "reason" TEXT,
    "idempotencyKey" TEXT,
    "ruleVersion" INTEGER,
    "sourceChangedAt" TIMESTAMPTZ(3),
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "LedgerEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Delivery" (
    "idempotencyKey" TEXT NOT NULL,
    "routine" "Routine" NOT NULL,
    "targetSystem" "SystemName" NOT NULL,
    "targetType" TEXT NOT NULL,
    "canonicalId" UUID NOT NULL,
    "contentHash" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "targetId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMPTZ(3),

    CONSTRAINT "Delivery_pkey" PRIMARY KEY ("idempotencyKey")
);

-- CreateTable
CREATE TABLE "OutboxEvent" (
    "id" BIGSERIAL NOT NULL,
    "type" TEXT NOT NULL,
    "canonicalType" TEXT NOT NULL,
    "canonicalId" UUID NOT NULL,
    "correlationId" UUID NOT NULL,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "OutboxEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncException" (
    "id" UUID NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "kind" "ExceptionKind" NOT NULL,
    "code" TEXT NOT NULL,
    "routine" "Routine" NOT NULL,
    "legalEntityId" TEXT,
    "objectType" TEXT NOT NULL,
    "externalIds" JSONB NOT NULL,
    "message" TEXT NOT NULL,
    "targetCode" TEXT,
    "targetMessage" TEXT,
    "payload" JSONB NOT NULL,
    "correlationId" UUID NOT NULL,
    "idempotencyKey" TEXT,
    "amount" DECIMAL(18,4),
    "currency" TEXT,
    "status" "ExceptionStatus" NOT NULL DEFAULT 'open',
    "team" "Team" NOT NULL,
    "priority" "Priority" NOT NULL,
    "dueAt" TIMESTAMPTZ(3),
    "assigneeId" UUID,
    "occurrences" INTEGER NOT NULL DEFAULT 1,
    "firstSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMPTZ(3),
    "resolution" TEXT,

    CONSTRAINT "SyncException_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExceptionEvent" (
    "id" BIGSERIAL NOT NULL,
    "exceptionId" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" UUID,
    "type" TEXT NOT NULL,
    "note" TEXT,
    "data" JSONB,

    CONSTRAINT "ExceptionEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoutingRule" (
    "id" BIGSERIAL NOT NULL,
    "position" INTEGER NOT NULL,
    "routine" "Routine",
    "code" TEXT,
    "legalEntityId" TEXT,
    "minAmount" DECIMAL(18,4),
    "team" "Team" NOT NULL,
    "priority" "Priority" NOT NULL,
    "dueHours" INTEGER NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RoutingRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookReceipt" (
    "id" TEXT NOT NULL,
    "system" "SystemName" NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMPTZ(3),

    CONSTRAINT "WebhookReceipt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Connection_name_key" ON "Connection"("name");

-- CreateIndex
CREATE INDEX "ExternalRef_canonicalType_canonicalId_idx" ON "ExternalRef"("canonicalType", "canonicalId");

-- CreateIndex
CREATE UNIQUE INDEX "ExternalRef_system_objectType_externalId_key" ON "ExternalRef"("system", "objectType", "externalId");

-- CreateIndex
CREATE INDEX "CanonicalRecord_type_legalEntityId_idx" ON "CanonicalRecord"("type", "legalEntityId");

-- CreateIndex
CREATE UNIQUE INDEX "FieldMapping_connectionId_legalEntityId_kind_sourceValue_key" ON "FieldMapping"("connectionId", "legalEntityId", "kind", "sourceValue");

-- CreateIndex
CREATE UNIQUE INDEX "OwnershipRule_version_objectType_attribute_key" ON "OwnershipRule"("version", "objectType", "attribute");

-- CreateIndex
CREATE INDEX "SyncRun_routine_startedAt_idx" ON "SyncRun"("routine", "startedAt");

-- CreateIndex
CREATE INDEX "SyncRun_startedAt_idx" ON "SyncRun"("startedAt");

-- CreateIndex
CREATE INDEX "LedgerEntry_runId_idx" ON "LedgerEntry"("runId");

-- CreateIndex
CREATE INDEX "LedgerEntry_correlationId_idx" ON "LedgerEntry"("correlationId");

-- CreateIndex
CREATE INDEX "LedgerEntry_sourceSystem_sourceType_sourceId_idx" ON "LedgerEntry"("sourceSystem", "sourceType", "sourceId");

-- CreateIndex
CREATE INDEX "LedgerEntry_routine_outcome_finishedAt_idx" ON "LedgerEntry"("routine", "outcome", "finishedAt");

-- CreateIndex
CREATE INDEX "Delivery_canonicalId_targetSystem_idx" ON "Delivery"("canonicalId", "targetSystem");

-- CreateIndex
CREATE INDEX "OutboxEvent_publishedAt_id_idx" ON "OutboxEvent"("publishedAt", "id");

-- CreateIndex
CREATE INDEX "SyncException_status_team_priority_idx" ON "SyncException"("status", "team", "priority");

-- CreateIndex
CREATE INDEX "SyncException_routine_code_status_idx" ON "SyncException"("routine", "code", "status");

-- CreateIndex
CREATE INDEX "SyncException_fingerprint_idx" ON "SyncException"("fingerprint");

-- CreateIndex
CREATE INDEX "ExceptionEvent_exceptionId_at_idx" ON "ExceptionEvent"("exceptionId", "at");

-- CreateIndex
CREATE INDEX "RoutingRule_position_idx" ON "RoutingRule"("position");

-- AddForeignKey
ALTER TABLE "OwnershipRule" ADD CONSTRAINT "OwnershipRule_version_fkey" FOREIGN KEY ("version") REFERENCES "OwnershipRuleVersion"("version") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExceptionEvent" ADD CONSTRAINT "ExceptionEvent_exceptionId_fkey" FOREIGN KEY ("exceptionId") REFERENCES "SyncException"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- One open exception per fingerprint: a repeat bumps the open one instead of adding another.
CREATE UNIQUE INDEX "SyncException_open_fingerprint_key" ON "SyncException"("fingerprint")
  WHERE "status" NOT IN ('resolved', 'ignored');
